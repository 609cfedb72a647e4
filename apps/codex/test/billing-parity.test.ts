import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { unzipSync, strFromU8 } from "fflate";
import { parse } from "csv-parse/sync";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { GOLD } from "./fixtures.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { upsertAssets } from "../src/assets/data.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { QUICKBOOKS_COLUMNS } from "../src/billing/bills/exports.ts";

const actor = { name: "parity-test" };
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

for (const engine of ENGINES) {
  describe(`billing parity on ${engine}`, () => {
    let codex: CodexUnderTest;
    const json = async (res: Response | Promise<Response>, status = 200) => {
      const r = await res;
      const body = await r.text();
      expect([r.status, body.slice(0, 300)]).toEqual([status, expect.any(String)]);
      return JSON.parse(body);
    };
    const bill = (acct: string, year = 2026, month = 3) =>
      json(codex.call("billing", "GET", `/api/billing/${acct}?year=${year}&month=${month}`));

    beforeAll(async () => {
      codex = await startCodex(engine);
      const h = codex.deps.db;
      await createPlan(h, GOLD, actor);
      await createPlan(h, { ...GOLD, name: "Silver", term: "month_to_month", per_user_cents: 1000 }, actor);
      await upsertCompanies(
        h,
        [
          {
            account_number: "ACME-001",
            name: "Acme Dental",
            billing_plan: "Gold",
            contract_term: "1_year",
            contract_start: isoDay(-300),
            contract_end: isoDay(10),
          },
          {
            account_number: "M-1",
            name: "Manual Works",
            billing_plan: "Gold",
            contract_term: "1_year",
            contract_end: isoDay(59),
          },
          {
            account_number: "S-2",
            name: "Silverline",
            billing_plan: "Silver",
            contract_term: "month_to_month",
            contract_end: isoDay(61),
          },
          {
            account_number: "X-3",
            name: "Expired Co",
            billing_plan: "Silver",
            contract_term: "month_to_month",
            contract_end: isoDay(-1),
          },
          { account_number: "N-4", name: "No Plan Inc" },
        ],
        actor,
      );
      await upsertContacts(
        h,
        [
          { name: "Ann Archer", email: "ann@acme.example", companies: ["ACME-001"] },
          { name: "Mia One", email: "mia@m.example", companies: ["M-1"] },
          { name: "Max Two", email: "max@m.example", companies: ["M-1"] },
          { name: "Sam Silver", email: "sam@s.example", companies: ["S-2"] },
        ],
        actor,
      );
      await upsertAssets(
        h,
        [
          { company: "ACME-001", hostname: "ACME-WS-01", asset_type: "workstation" },
          { company: "M-1", hostname: "M-WS-1", asset_type: "workstation" },
          { company: "S-2", hostname: "S-WS-1", asset_type: "workstation" },
        ],
        actor,
      );
    });
    afterAll(() => codex.stop());

    test("manual devices and users are billed with their types (hand-computed)", async () => {
      for (const body of [
        { hostname: "Loaner laptop", billing_type: "workstation" },
        { hostname: "NAS", billing_type: "server", notes: "in the closet" },
        { hostname: "Office switch", billing_type: "switch" },
        { hostname: "Donated PC", billing_type: "no_charge" },
        { hostname: "Special box", billing_type: "custom", custom_cents: 4500 },
      ]) {
        await json(codex.call("billing", "POST", "/api/companies/M-1/manual-assets", body), 201);
      }
      for (const body of [
        { name: "Temp worker", billing_type: "paid" },
        { name: "Board member", billing_type: "free" },
        { name: "Auditor", billing_type: "custom", custom_cents: 750 },
      ]) {
        await json(codex.call("billing", "POST", "/api/companies/M-1/manual-users", body), 201);
      }
      const b = await bill("M-1");
      // users: 2 contacts + 1 manual paid = 3 × 15.00 = 45.00; the auditor 7.50; the board member free
      expect(b.totals.users_cents).toBe(4500 + 750);
      expect(b.counts.users).toBe(5);
      // devices: 2 workstations × 30.00 + 1 server × 120.00 + 1 switch × 10.00 + a custom 45.00; the donated PC free
      expect(b.counts).toMatchObject({ workstations: 2, servers: 1, switches: 1 });
      expect(b.totals.assets_cents).toBe(6000 + 12000 + 1000 + 4500);
      expect(
        b.lines.find((l: { description: string }) => l.description === "Special box (custom price)").amount_cents,
      ).toBe(4500);
      expect(b.lines.find((l: { description: string }) => l.description === "Devices at no charge").quantity).toBe(1);
      expect(b.totals.total_cents).toBe(5250 + 23500);
      expect(
        b.adjustments.manual_assets.map((m: { hostname: string; billed_as: string }) => `${m.hostname}:${m.billed_as}`),
      ).toEqual([
        "Loaner laptop:workstation",
        "NAS:server",
        "Office switch:switch",
        "Donated PC:no_charge",
        "Special box:custom",
      ]);
      expect(b.adjustments.manual_users).toContainEqual({ name: "Auditor", billed_as: "custom", custom_cents: 750 });
    });

    test("manual items: update, remove, validation, and who may touch them", async () => {
      const list = await json(codex.call("technician", "GET", "/api/companies/M-1/manual-assets"));
      const nas = list.items.find((m: { hostname: string }) => m.hostname === "NAS");
      expect(nas).toMatchObject({ billing_type: "server", custom_cents: null, notes: "in the closet" });
      const bad = await json(
        codex.call("billing", "POST", "/api/companies/M-1/manual-assets", { hostname: "X", billing_type: "custom" }),
        422,
      );
      expect(bad.error.details[0].field).toBe("custom_cents");
      await json(
        codex.call("billing", "POST", "/api/companies/M-1/manual-users", { name: "", billing_type: "paid" }),
        422,
      );
      await json(
        codex.call("billing", "POST", "/api/companies/M-1/manual-users", { name: "Y", billing_type: "vip" }),
        422,
      );
      expect(
        (
          await codex.call("technician", "POST", "/api/companies/M-1/manual-assets", {
            hostname: "X",
            billing_type: "server",
          })
        ).status,
      ).toBe(403);
      expect((await codex.call("client", "GET", "/api/companies/ACME-001/manual-assets")).status).toBe(403);
      // The NAS becomes a VM: 60.00 instead of 120.00; then it goes.
      expect(
        await json(codex.call("billing", "PUT", `/api/companies/M-1/manual-assets/${nas.id}`, { billing_type: "vm" })),
      ).toMatchObject({ billing_type: "vm", hostname: "NAS" });
      expect((await bill("M-1")).totals.assets_cents).toBe(6000 + 6000 + 1000 + 4500);
      await json(
        codex.call("billing", "PUT", `/api/companies/M-1/manual-assets/${nas.id}`, { billing_type: "custom" }),
        422,
      );
      await json(codex.call("billing", "DELETE", `/api/companies/M-1/manual-assets/${nas.id}`));
      expect((await bill("M-1")).totals.assets_cents).toBe(6000 + 1000 + 4500);
      await json(codex.call("billing", "DELETE", `/api/companies/ACME-001/manual-assets/${nas.id}`), 404);
      // Put it back for the tests that follow.
      await json(
        codex.call("billing", "POST", "/api/companies/M-1/manual-assets", { hostname: "NAS", billing_type: "server" }),
        201,
      );
    });

    test("the bill says which rates came from overrides; a client never sees that", async () => {
      await json(
        codex.call("billing", "PUT", "/api/companies/ACME-001/billing-overrides", {
          per_user_cents: 1200,
          prepaid_minutes_monthly: 60,
        }),
      );
      const b = await bill("ACME-001");
      expect(b.adjustments.rates).toEqual([
        { field: "per_user_cents", plan: 1500, override: 1200 },
        { field: "prepaid_minutes_monthly", plan: 120, override: 60 },
      ]);
      expect(b.totals.users_cents).toBe(1200);
      const client = await json(codex.call("client", "GET", "/api/billing/ACME-001?year=2026&month=3"));
      expect(client.adjustments).toBeUndefined();
      const month = await json(codex.call("client", "GET", "/api/billing?year=2026&month=3"));
      expect(
        month.items.map((x: { account_number: string; adjustments?: unknown }) => [x.account_number, x.adjustments]),
      ).toEqual([["ACME-001", undefined]]);
      expect(client.totals.total_cents).toBe(b.totals.total_cents);
      const settings = await json(codex.call("technician", "GET", "/api/companies/ACME-001/billing-settings"));
      expect(settings.overrides.per_user_cents).toBe(1200);
      expect(settings.plan_rates.per_user_cents).toBe(1500);
      expect(settings.effective_rates).toMatchObject({
        per_user_cents: 1200,
        per_workstation_cents: 3000,
        prepaid_minutes_monthly: 60,
      });
      expect(settings.assets.map((a: { hostname: string }) => a.hostname)).toEqual(["ACME-WS-01"]);
      expect((await codex.call("client", "GET", "/api/companies/ACME-001/billing-settings")).status).toBe(403);
    });

    test("the dashboard: clients, the month's revenue, active and expiring contracts, revenue by plan", async () => {
      const d = await json(codex.call("technician", "GET", "/api/billing/dashboard?year=2026&month=3"));
      const all = await json(codex.call("billing", "GET", "/api/billing?year=2026&month=3"));
      expect(d.total_clients).toBe(5);
      expect(d.revenue_cents).toBe(all.total_cents);
      // Plans and a contract running today: ACME-001, M-1, S-2 (X-3 ended yesterday, N-4 has no plan)
      expect(d.active_contracts).toBe(3);
      expect(
        d.expiring.map((x: { account_number: string; days_left: number }) => [x.account_number, x.days_left]),
      ).toEqual([
        ["ACME-001", 10],
        ["M-1", 59],
      ]);
      const gold = all.items
        .filter((b: { plan: { name: string } | null }) => b.plan?.name === "Gold")
        .reduce((s: number, b: { totals: { total_cents: number } }) => s + b.totals.total_cents, 0);
      expect(d.revenue_by_plan.find((x: { plan: string }) => x.plan === "Gold")).toEqual({
        plan: "Gold",
        companies: 2,
        revenue_cents: gold,
      });
      expect(d.revenue_by_plan.find((x: { plan: string }) => x.plan === "No plan")).toEqual({
        plan: "No plan",
        companies: 1,
        revenue_cents: 0,
      });
      expect((await codex.call("client", "GET", "/api/billing/dashboard")).status).toBe(403);
      await json(codex.call("billing", "GET", "/api/billing/dashboard?month=13"), 422);
    });

    test("a company's invoice CSV, the month's ZIP and the QuickBooks CSV", async () => {
      const csv = await codex.call("client", "GET", "/api/billing/ACME-001/invoice.csv?year=2026&month=3");
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-disposition")).toBe('attachment; filename="ACME-001-202603.csv"');
      const rows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
      expect(rows.map((r) => [r.description, r.amount])).toEqual([
        ["Users", "12.00"],
        ["Workstations", "30.00"],
        ["Total", "42.00"],
      ]);
      expect((await codex.call("client", "GET", "/api/billing/M-1/invoice.csv?year=2026&month=3")).status).toBe(404);

      const zip = await codex.call("technician", "GET", "/api/billing/invoices.zip?year=2026&month=3");
      expect(zip.headers.get("content-type")).toBe("application/zip");
      const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      expect(Object.keys(files).sort()).toEqual([
        "ACME-001-202603.csv",
        "M-1-202603.csv",
        "N-4-202603.csv",
        "S-2-202603.csv",
        "X-3-202603.csv",
        "summary.csv",
      ]);
      const m1 = await (await codex.call("billing", "GET", "/api/billing/M-1/invoice.csv?year=2026&month=3")).text();
      expect(strFromU8(files["M-1-202603.csv"]!)).toBe(m1);
      expect(strFromU8(files["summary.csv"]!)).toContain("M-1-202603,M-1,Manual Works,2026-03,draft,");
      expect((await codex.call("client", "GET", "/api/billing/invoices.zip?year=2026&month=3")).status).toBe(403);

      // Accepted on a known day, the QuickBooks rows carry that date and Net 30.
      await json(codex.call("billing", "POST", "/api/billing/S-2/accept", { year: 2026, month: 3 }), 201);
      const h = codex.deps.db;
      const { eq } = await import("drizzle-orm");
      await h.db
        .update(h.t.acceptedBills)
        .set({ acceptedAt: new Date("2026-04-02T09:30:00Z") })
        .where(eq(h.t.acceptedBills.invoiceNumber, "S-2-202603"));
      const qb = await (await codex.call("billing", "GET", "/api/billing/S-2/quickbooks.csv?year=2026&month=3")).text();
      const q = parse(qb, { columns: true }) as Record<string, string>[];
      expect(Object.keys(q[0]!)).toEqual(QUICKBOOKS_COLUMNS.map(([name]) => name));
      expect(q).toEqual([
        {
          InvoiceNo: "S-2-202603",
          Customer: "Silverline",
          InvoiceDate: "04/02/2026",
          DueDate: "05/02/2026",
          Terms: "Net 30",
          Memo: "March 2026 services, account S-2",
          "Item(Product/Service)": "Managed users",
          ItemDescription: "Users",
          ItemQuantity: "1",
          ItemRate: "10.00",
          ItemAmount: "10.00",
          ServiceDate: "03/01/2026",
        },
        {
          InvoiceNo: "S-2-202603",
          Customer: "Silverline",
          InvoiceDate: "04/02/2026",
          DueDate: "05/02/2026",
          Terms: "Net 30",
          Memo: "March 2026 services, account S-2",
          "Item(Product/Service)": "Managed devices",
          ItemDescription: "Workstations",
          ItemQuantity: "1",
          ItemRate: "30.00",
          ItemAmount: "30.00",
          ServiceDate: "03/01/2026",
        },
      ]);
      const month = parse(
        await (await codex.call("technician", "GET", "/api/billing/quickbooks.csv?year=2026&month=3")).text(),
        { columns: true },
      ) as Record<string, string>[];
      expect(new Set(month.map((r) => r.InvoiceNo))).toEqual(new Set(["ACME-001-202603", "M-1-202603", "S-2-202603"]));
      expect((await codex.call("client", "GET", "/api/billing/ACME-001/quickbooks.csv?year=2026&month=3")).status).toBe(
        403,
      );
    });

    test("the archive: search by company, invoice and months, in cursor pages; snapshots and their CSV as accepted", async () => {
      for (const [acct, month] of [
        ["ACME-001", 1],
        ["ACME-001", 2],
        ["M-1", 1],
        ["M-1", 2],
        ["S-2", 1],
      ] as const) {
        await json(codex.call("billing", "POST", `/api/billing/${acct}/accept`, { year: 2026, month }), 201);
      }
      const numbers = async (query: string, level: "billing" | "client" = "billing") =>
        (await json(codex.call(level, "GET", `/api/invoices?${query}`))).items.map(
          (x: { invoice_number: string }) => x.invoice_number,
        );
      expect(await numbers("")).toEqual([
        "S-2-202603",
        "ACME-001-202602",
        "M-1-202602",
        "ACME-001-202601",
        "M-1-202601",
        "S-2-202601",
      ]);
      expect(await numbers("company=manual")).toEqual(["M-1-202602", "M-1-202601"]);
      expect(await numbers("company=m-1")).toEqual(["M-1-202602", "M-1-202601"]);
      expect(await numbers("invoice=202601")).toEqual(["ACME-001-202601", "M-1-202601", "S-2-202601"]);
      expect(await numbers("from=2026-02&to=2026-02")).toEqual(["ACME-001-202602", "M-1-202602"]);
      expect(await numbers("from=2026-02")).toEqual(["S-2-202603", "ACME-001-202602", "M-1-202602"]);
      expect(await numbers("company=100%25")).toEqual([]);
      expect(await numbers("", "client")).toEqual(["ACME-001-202602", "ACME-001-202601"]);
      expect(await numbers("company=manual", "client")).toEqual([]);
      // Walk every page two at a time.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { invoice_number: string }[]; next_cursor: string | null } = await json(
          codex.call("billing", "GET", `/api/invoices?limit=2${cursor ? `&cursor=${cursor}` : ""}`),
        );
        seen.push(...page.items.map((x) => x.invoice_number));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen).toEqual(await numbers(""));
      await json(codex.call("billing", "GET", "/api/invoices?cursor=nonsense"), 400);
      await json(codex.call("billing", "GET", "/api/invoices?from=2026-13"), 422);

      // The snapshot stays what was accepted after the data changes.
      const before = await (await codex.call("billing", "GET", "/api/invoices/M-1-202601/csv")).text();
      await json(
        codex.call("billing", "POST", "/api/companies/M-1/manual-users", {
          name: "Late addition",
          billing_type: "paid",
        }),
        201,
      );
      expect(await (await codex.call("billing", "GET", "/api/invoices/M-1-202601/csv")).text()).toBe(before);
      expect(before).toContain("M-1-202601,M-1,Manual Works,2026-01,accepted,users,Users,3,15.00,45.00");
      const snap = await json(codex.call("billing", "GET", "/api/invoices/M-1-202601"));
      expect(snap.adjustments.manual_users).toHaveLength(3);
      expect((await json(codex.call("client", "GET", "/api/invoices/ACME-001-202601"))).adjustments).toBeUndefined();
      expect((await codex.call("client", "GET", "/api/invoices/M-1-202601/csv")).status).toBe(404);
    });

    test("copy terms applies one term's rates to the plan's other terms, optionally adding the missing ones", async () => {
      const h = codex.deps.db;
      const gold1 = await createPlan(h, { ...GOLD, name: "Copper", term: "1_year", per_user_cents: 2000 }, actor);
      await createPlan(
        h,
        { ...GOLD, name: "Copper", term: "month_to_month", per_user_cents: 2500, per_hour_cents: 1 },
        actor,
      );
      await json(codex.call("billing", "PUT", `/api/billing-plans/${gold1.id}/features`, {}));
      const out = await json(codex.call("billing", "POST", `/api/billing-plans/${gold1.id}/copy-terms`, {}));
      expect(out).toEqual({ updated: ["month_to_month"], created: [], unchanged: [] });
      const copper = async () =>
        (await json(codex.call("billing", "GET", "/api/billing-plans?name=Copper"))).items as {
          term: string;
          per_user_cents: number;
          per_hour_cents: number;
        }[];
      expect((await copper()).map((p) => [p.term, p.per_user_cents, p.per_hour_cents])).toEqual([
        ["1_year", 2000, 12500],
        ["month_to_month", 2000, 12500],
      ]);
      const again = await json(
        codex.call("billing", "POST", `/api/billing-plans/${gold1.id}/copy-terms`, { create_missing: true }),
      );
      expect(again).toEqual({ updated: [], created: ["2_year", "3_year"], unchanged: ["month_to_month"] });
      expect((await copper()).map((p) => p.term).sort()).toEqual(["1_year", "2_year", "3_year", "month_to_month"]);
      await json(
        codex.call("billing", "POST", `/api/billing-plans/${gold1.id}/copy-terms`, { create_missing: "yes" }),
        422,
      );
      expect((await codex.call("technician", "POST", `/api/billing-plans/${gold1.id}/copy-terms`, {})).status).toBe(
        403,
      );
    });

    test("plans and features export as JSON and import back, all or nothing", async () => {
      await json(
        codex.call("billing", "POST", "/api/feature-categories", { key: "antivirus", name: "Antivirus" }),
        201,
      );
      await json(
        codex.call("billing", "POST", "/api/feature-options", {
          category: "antivirus",
          value: "defender",
          display_name: "Microsoft Defender",
        }),
        201,
      );
      const plans = await json(codex.call("billing", "GET", "/api/billing-plans?name=Gold"));
      await json(
        codex.call("billing", "PUT", `/api/billing-plans/${plans.items[0].id}/features`, { antivirus: "defender" }),
      );
      const exported = await json(codex.call("admin", "GET", "/api/billing-plans/export"));
      expect(exported).toMatchObject({
        format: "hivematrix-billing-plans",
        version: 1,
        feature_categories: [
          { key: "antivirus", name: "Antivirus", options: [{ value: "defender", display_name: "Microsoft Defender" }] },
        ],
      });
      expect(exported.plans.find((p: { name: string }) => p.name === "Gold")).toMatchObject({
        term: "1_year",
        per_user_cents: 1500,
        features: { antivirus: "defender" },
      });
      expect((await codex.call("billing", "GET", "/api/billing-plans/export")).status).toBe(403);

      // Into another Codex: everything arrives.
      const other = await startCodex(engine);
      try {
        const summary = await json(other.call("admin", "POST", "/api/billing-plans/import", exported));
        expect(summary).toEqual({
          categories: { created: 1, updated: 0 },
          options: { created: 1, updated: 0 },
          plans: { created: exported.plans.length, updated: 0, unchanged: 0 },
        });
        const round = await json(other.call("admin", "GET", "/api/billing-plans/export"));
        expect(round.plans).toEqual(exported.plans);
        expect(round.feature_categories).toEqual(exported.feature_categories);
        // Importing the same file again changes nothing.
        expect((await json(other.call("admin", "POST", "/api/billing-plans/import", exported))).plans).toEqual({
          created: 0,
          updated: 0,
          unchanged: exported.plans.length,
        });
      } finally {
        await other.stop();
      }

      // A file with problems: every one reported, nothing written.
      const broken = structuredClone(exported);
      broken.plans[0].per_user_cents = 99;
      broken.plans.push({ ...broken.plans[1] });
      broken.plans[2].features = { antivirus: "norton" };
      broken.plans.push({ ...broken.plans[0], name: "Brand new", features: { firewall: "x" } });
      const refused = await json(codex.call("admin", "POST", "/api/billing-plans/import", broken), 422);
      const fields = refused.error.details.map((d: { field: string }) => d.field);
      expect(fields).toContain(`plans.${broken.plans.length - 2}.name`);
      expect(fields).toContain("plans.2.features.antivirus");
      expect(fields).toContain(`plans.${broken.plans.length - 1}.features.firewall`);
      expect((await json(codex.call("admin", "GET", "/api/billing-plans/export"))).plans).toEqual(exported.plans);
      expect((await json(codex.call("billing", "GET", "/api/billing-plans?name=Brand%20new"))).items).toEqual([]);
      const typed = await json(
        codex.call("admin", "POST", "/api/billing-plans/import", {
          ...exported,
          plans: [{ ...exported.plans[0], per_user_cents: "15" }],
        }),
        422,
      );
      expect(typed.error.details[0].field).toBe("plans.0.per_user_cents");
    });
  });
}

test("a month's ZIP for 1,000 companies", async () => {
  const codex = await startCodex("sqlite");
  try {
    const h = codex.deps.db;
    await createPlan(h, GOLD, actor);
    await upsertCompanies(
      h,
      Array.from({ length: 1000 }, (_, i) => ({
        account_number: `Z-${String(i).padStart(4, "0")}`,
        name: `Zed ${i}`,
        billing_plan: "Gold",
        contract_term: "1_year" as const,
      })),
      actor,
    );
    await upsertAssets(
      h,
      Array.from({ length: 1000 }, (_, i) => ({
        company: `Z-${String(i).padStart(4, "0")}`,
        hostname: `Z-WS-${i}`,
        asset_type: "workstation" as const,
      })),
      actor,
    );
    const res = await codex.call("billing", "GET", "/api/billing/invoices.zip?year=2026&month=3");
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).length).toBe(1001);
    expect(strFromU8(files["Z-0999-202603.csv"]!)).toContain(
      "Z-0999-202603,Z-0999,Zed 999,2026-03,draft,total,Total,,,30.00",
    );
  } finally {
    await codex.stop();
  }
});
