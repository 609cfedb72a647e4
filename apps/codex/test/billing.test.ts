import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { GOLD } from "./fixtures.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { upsertAssets } from "../src/assets/data.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { mulDivRound } from "../src/billing/engine/compute.ts";
import { TB } from "../src/billing/engine/types.ts";

const actor = { name: "billing-test" };
const at = (d: string) => `${d}T12:00:00Z`;

test("money arithmetic rounds half up on integers only", () => {
  expect(mulDivRound(1, 12500, 60)).toBe(208); // 208.33
  expect(mulDivRound(3, 12500, 60)).toBe(625);
  expect(mulDivRound(1, 150, 100)).toBe(2); // 1.5 → 2
  expect(mulDivRound(TB / 2, 1500, TB)).toBe(750);
  expect(mulDivRound(2 ** 52, 99_999, 2 ** 40)).toBe(409_595_904);
});

for (const engine of ENGINES) {
  describe(`billing on ${engine}`, () => {
    let codex: CodexUnderTest;
    const bill = async (acct: string, year = 2026, month = 3) => {
      const res = await codex.call("billing", "GET", `/api/billing/${acct}?year=${year}&month=${month}`);
      expect(res.status).toBe(200);
      return res.json();
    };
    const line = (b: { lines: { description: string; amount_cents: number }[] }, d: string) =>
      b.lines.find((l) => l.description === d)?.amount_cents;

    beforeAll(async () => {
      codex = await startCodex(engine);
      const h = codex.deps.db;
      await createPlan(h, GOLD, actor);
      await createPlan(
        h,
        { ...GOLD, name: "Yearly", prepaid_minutes_monthly: 60, prepaid_minutes_yearly: 600, per_hour_cents: 9000 },
        actor,
      );
      await upsertCompanies(
        h,
        [
          { account_number: "A-1", name: "Alpha", billing_plan: "Gold", contract_term: "1_year" },
          { account_number: "B-2", name: "Bravo", billing_plan: "Gold", contract_term: "1_year" },
          { account_number: "C-3", name: "Charlie", billing_plan: "Yearly", contract_term: "1_year" },
          { account_number: "D-4", name: "Delta" },
          { account_number: "E-5", name: "Echo", billing_plan: "Gold", contract_term: "1_year" },
        ],
        actor,
      );
      await upsertContacts(
        h,
        [
          ...["a1", "a2", "a3"].map((n) => ({ name: n, email: `${n}@a.example`, companies: ["A-1"] })),
          { name: "a-gone", email: "gone@a.example", companies: ["A-1"], active: false },
          ...["b1", "b2"].map((n) => ({ name: n, email: `${n}@b.example`, companies: ["B-2"] })),
          ...["e-free", "e-custom", "e-paid"].map((n) => ({ name: n, email: `${n}@e.example`, companies: ["E-5"] })),
        ],
        actor,
      );
      await upsertAssets(
        h,
        [
          { company: "A-1", hostname: "A-WS-1", asset_type: "workstation", backed_up: true, backup_bytes: TB / 2 },
          { company: "A-1", hostname: "A-WS-2", asset_type: "workstation" },
          {
            company: "A-1",
            hostname: "A-SRV-1",
            operating_system: "Windows Server 2022",
            backed_up: true,
            backup_bytes: 2 * TB,
          },
          { company: "A-1", hostname: "A-FW-1", asset_type: "firewall" },
          { company: "A-1", hostname: "A-SW-1", asset_type: "switch" },
          { company: "A-1", hostname: "A-PRN-1", asset_type: "other" },
          { company: "B-2", hostname: "B-WS-1", asset_type: "workstation" },
          { company: "E-5", hostname: "E-SRV-1", asset_type: "server", backed_up: true, backup_bytes: 0 },
          { company: "E-5", hostname: "E-WS-CUSTOM", asset_type: "workstation" },
          {
            company: "E-5",
            hostname: "E-VM-1",
            asset_type: "vm",
            backed_up: true,
            backup_bytes: 3 * TB + Math.floor(TB / 3),
          },
          { company: "E-5", hostname: "E-WS-2", asset_type: "workstation" },
        ],
        actor,
      );
      await upsertTickets(
        h,
        [
          // Updated in March, but its time was logged in February: it must not count in March.
          {
            company: "B-2",
            subject: "Old work",
            created_at: at("2026-02-01"),
            time_entries: [{ minutes: 300, logged_at: at("2026-02-20") }],
          },
          {
            company: "B-2",
            subject: "March work",
            created_at: at("2026-03-01"),
            time_entries: [
              { minutes: 60, logged_at: at("2026-03-02") },
              { minutes: 90, logged_at: at("2026-03-10") },
              { minutes: 45, logged_at: at("2026-03-31") },
              { minutes: 500, logged_at: at("2026-03-15"), billable: false },
            ],
          },
          {
            company: "C-3",
            subject: "Yearly pool",
            created_at: at("2026-01-01"),
            time_entries: [
              { minutes: 400, logged_at: at("2026-01-15") },
              { minutes: 200, logged_at: at("2026-02-15") },
              { minutes: 400, logged_at: at("2026-03-15") },
            ],
          },
        ],
        actor,
      );
      await codex.call("billing", "PUT", "/api/companies/B-2/billing-overrides", {
        per_user_cents: 1200,
        per_hour_cents: 10000,
      });
      for (const li of [
        { name: "Firewall monitoring", kind: "monthly", amount_cents: 5000 },
        { name: "Onboarding", kind: "one_off", amount_cents: 25000, year: 2026, month: 3 },
        { name: "Onboarding again", kind: "one_off", amount_cents: 99999, year: 2026, month: 4 },
        { name: "Domain renewal", kind: "yearly", amount_cents: 12000, month: 3 },
        { name: "Licence renewal", kind: "yearly", amount_cents: 77777, month: 7 },
      ]) {
        expect((await codex.call("billing", "POST", "/api/companies/D-4/line-items", li)).status).toBe(201);
      }
      const e = await (await codex.call("billing", "GET", "/api/companies/E-5/contacts")).json();
      const id = (name: string) => e.items.find((c: { name: string }) => c.name === name).id;
      expect(
        (
          await codex.call("billing", "PUT", `/api/companies/E-5/users/${id("e-free")}/billing-override`, {
            billing_type: "free",
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await codex.call("billing", "PUT", `/api/companies/E-5/users/${id("e-custom")}/billing-override`, {
            billing_type: "custom",
            custom_cents: 800,
          })
        ).status,
      ).toBe(200);
      const assets = await (await codex.call("billing", "GET", "/api/companies/E-5/assets")).json();
      const asset = (host: string) => assets.items.find((a: { hostname: string }) => a.hostname === host).id;
      expect(
        (
          await codex.call("billing", "PUT", `/api/assets/${asset("E-SRV-1")}/billing-override`, {
            billing_type: "no_charge",
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await codex.call("billing", "PUT", `/api/assets/${asset("E-WS-CUSTOM")}/billing-override`, {
            billing_type: "custom",
            custom_cents: 4200,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await codex.call("billing", "PUT", `/api/assets/${asset("E-WS-CUSTOM")}/billing-override`, {
            billing_type: "custom",
          })
        ).status,
      ).toBe(422);
    }, 30_000);
    afterAll(() => codex.stop());

    test("example 1: servers billed as servers, backup base fees and overage", async () => {
      const b = await bill("A-1");
      // users 3 × 15.00 (the inactive one is not billed)
      expect(b.totals.users_cents).toBe(4500);
      // 2 × 30.00 workstations + 120.00 server + 10.00 switch + 25.00 firewall; the printer is free
      expect(b.counts).toMatchObject({
        users: 3,
        workstations: 2,
        servers: 1,
        switches: 1,
        firewalls: 1,
        backed_up_workstations: 1,
        backed_up_servers: 1,
      });
      expect(b.totals.assets_cents).toBe(21500);
      // base 25.00 + 50.00; 2.5 TB stored, 2 × 1 TB included: 0.5 TB × 15.00 = 7.50
      expect(line(b, "Backup storage beyond the included TB")).toBe(750);
      expect(b.totals.backup_cents).toBe(8250);
      expect(b.totals.tickets_cents).toBe(0);
      expect(b.totals.total_cents).toBe(34250);
      expect(b.invoice_number).toBe("A-1-202603");
      expect(b.accepted).toBeNull();
    });

    test("example 2: rate overrides; hours counted in the month they were logged, beyond prepaid", async () => {
      const b = await bill("B-2");
      expect(b.rates).toMatchObject({ per_user_cents: 1200, per_hour_cents: 10000, per_workstation_cents: 3000 });
      expect(b.totals.users_cents).toBe(2400);
      expect(b.totals.assets_cents).toBe(3000);
      // 60 + 90 + 45 = 195 billable minutes in March (February's 300 and the unbillable 500 don't count); 120 prepaid → 75 min × 100.00/h
      expect(b.tickets).toEqual({
        minutes_logged: 195,
        prepaid_monthly_minutes: 120,
        yearly_prepaid_remaining_minutes: 0,
        billable_minutes: 75,
      });
      expect(b.totals.tickets_cents).toBe(12500);
      expect(b.totals.total_cents).toBe(17900);
      const feb = await bill("B-2", 2026, 2);
      // February: 300 − 120 = 180 min → 300.00
      expect(feb.totals.tickets_cents).toBe(30000);
    });

    test("example 3: the yearly prepaid pool is drawn down month by month", async () => {
      // Jan 400 − 60 = 340 from the 600 pool (260 left); Feb 200 − 60 = 140 (120 left); Mar 400 − 60 = 340 − 120 = 220 min × 90.00/h
      expect((await bill("C-3", 2026, 1)).totals.tickets_cents).toBe(0);
      expect((await bill("C-3", 2026, 2)).tickets.yearly_prepaid_remaining_minutes).toBe(260);
      const b = await bill("C-3");
      expect(b.tickets).toMatchObject({ yearly_prepaid_remaining_minutes: 120, billable_minutes: 220 });
      expect(b.totals.tickets_cents).toBe(33000);
      expect(b.totals.total_cents).toBe(33000);
    });

    test("example 4: monthly, one-off and yearly line items, each only when due", async () => {
      const b = await bill("D-4");
      expect(b.plan).toBeNull();
      // 50.00 monthly + 250.00 one-off (March) + 120.00 yearly (March)
      expect(
        b.lines
          .filter((l: { category: string }) => l.category === "line_items")
          .map((l: { amount_cents: number }) => l.amount_cents),
      ).toEqual([5000, 25000, 12000]);
      expect(b.totals.total_cents).toBe(42000);
      expect((await bill("D-4", 2026, 4)).totals.total_cents).toBe(5000 + 99999);
      expect((await bill("D-4", 2026, 7)).totals.total_cents).toBe(5000 + 77777);
    });

    test("example 5: asset and user overrides, VMs, and a fractional TB overage", async () => {
      const b = await bill("E-5");
      // users: one paid 15.00 + one custom 8.00 + one free
      expect(b.totals.users_cents).toBe(2300);
      // custom workstation 42.00 + VM 60.00 + workstation 30.00; the server is no-charge
      expect(b.totals.assets_cents).toBe(13200);
      expect(b.counts).toMatchObject({ workstations: 1, vms: 1, servers: 0, backed_up_servers: 2 });
      // base: server (no-charge, still backed up) and VM pay the server fee 2 × 50.00; 3⅓ TB − 2 TB = 1⅓ TB × 15.00 = 20.00
      expect(line(b, "Backup base fee, servers")).toBe(10000);
      expect(line(b, "Backup storage beyond the included TB")).toBe(2000);
      expect(b.backup.overage_tb).toBe(1.33);
      expect(b.totals.total_cents).toBe(27500);
    });

    test("all companies' bills for a month in one call, and as CSV", async () => {
      const all = await (await codex.call("billing", "GET", "/api/billing?year=2026&month=3")).json();
      expect(
        all.items.map((b: { account_number: string; totals: { total_cents: number } }) => [
          b.account_number,
          b.totals.total_cents,
        ]),
      ).toEqual([
        ["A-1", 34250],
        ["B-2", 17900],
        ["C-3", 33000],
        ["D-4", 42000],
        ["E-5", 27500],
      ]);
      expect(all.total_cents).toBe(34250 + 17900 + 33000 + 42000 + 27500);
      const csv = await codex.call("billing", "GET", "/api/billing/export.csv?year=2026&month=3");
      expect(csv.headers.get("content-type")).toContain("text/csv");
      const text = await csv.text();
      expect(text.split("\n")[0]).toBe(
        "invoice_number,account_number,company,period,status,category,description,quantity,unit_price,amount",
      );
      expect(text).toContain("A-1-202603,A-1,Alpha,2026-03,draft,total,Total,,,342.50");
      expect(text).toContain("D-4-202603,D-4,Delta,2026-03,draft,line_items,Onboarding,1,250.00,250.00");
    });

    test("an accepted bill is an immutable snapshot", async () => {
      const accepted = await codex.call("billing", "POST", "/api/billing/A-1/accept", {
        year: 2026,
        month: 3,
        notes: "Sent by email",
      });
      expect(accepted.status).toBe(201);
      const snap = await accepted.json();
      expect(snap.accepted).toMatchObject({
        invoice_number: "A-1-202603",
        accepted_by: "billing",
        notes: "Sent by email",
      });
      expect(snap.totals.total_cents).toBe(34250);
      // Later changes to the plan and the assets do not touch it.
      const plans = await (await codex.call("billing", "GET", "/api/billing-plans?name=Gold")).json();
      await codex.call("billing", "PUT", `/api/billing-plans/${plans.items[0].id}`, { per_server_cents: 99900 });
      await codex.call("technician", "POST", "/api/assets", {
        company: "A-1",
        hostname: "A-SRV-2",
        asset_type: "server",
      });
      const again = await bill("A-1");
      expect(again.totals.total_cents).toBe(34250);
      expect(again.accepted.invoice_number).toBe("A-1-202603");
      expect((await bill("A-1", 2026, 4)).totals.assets_cents).toBe(2 * 3000 + 2 * 99900 + 1000 + 2500);
      expect((await codex.call("billing", "POST", "/api/billing/A-1/accept", { year: 2026, month: 3 })).status).toBe(
        409,
      );
      expect((await codex.call("billing", "POST", "/api/billing/A-1/accept", { year: 2099, month: 1 })).status).toBe(
        422,
      );
      expect((await codex.call("billing", "POST", "/api/billing/A-1/accept", { year: 2026, month: 13 })).status).toBe(
        422,
      );
      const invoices = await (await codex.call("billing", "GET", "/api/invoices?year=2026")).json();
      expect(invoices.items).toEqual([expect.objectContaining({ invoice_number: "A-1-202603", total_cents: 34250 })]);
      expect((await (await codex.call("billing", "GET", "/api/invoices/A-1-202603")).json()).totals.total_cents).toBe(
        34250,
      );
      const row = await codex.deps.db.db
        .select()
        .from(codex.deps.db.t.acceptedBills)
        .where(eq(codex.deps.db.t.acceptedBills.invoiceNumber, "A-1-202603"));
      expect(row[0]!.totalCents).toBe(34250);
      expect((await codex.call("admin", "DELETE", "/api/companies/A-1")).status).toBe(409);
    });

    test("bad billing input is refused with field details", async () => {
      expect((await codex.call("billing", "GET", "/api/billing/A-1?year=2026")).status).toBe(422);
      const li = await codex.call("billing", "POST", "/api/companies/D-4/line-items", {
        name: "x",
        kind: "one_off",
        amount_cents: 100,
      });
      expect(li.status).toBe(422);
      expect((await li.json()).error.details[0].field).toBe("year");
      expect(
        (
          await codex.call("billing", "POST", "/api/companies/D-4/line-items", {
            name: "x",
            kind: "monthly",
            amount_cents: 1.5,
          })
        ).status,
      ).toBe(422);
      expect(
        (await codex.call("billing", "PUT", "/api/companies/B-2/billing-overrides", { per_user_cents: "12" })).status,
      ).toBe(422);
      expect(
        (await codex.call("billing", "PUT", "/api/companies/B-2/billing-overrides", { per_user_cents: null })).status,
      ).toBe(200);
      expect(
        (await (await codex.call("billing", "GET", "/api/companies/B-2/billing-overrides")).json()).per_user_cents,
      ).toBeNull();
    });
  });
}
