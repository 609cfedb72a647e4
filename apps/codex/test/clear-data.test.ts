import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { count, eq, is, Table } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { acceptBill } from "../src/billing/bills/data.ts";
import { requireCompany } from "../src/companies/data.ts";
import { clearData } from "../src/admin/data-clear.ts";
import { demoOnFirstStart } from "../src/seed/first-start.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

const PREFIX = "/codex";

for (const engine of ENGINES) {
  describe(`admin Clear data (${engine})`, () => {
    let codex: CodexUnderTest | null = null;

    // Every test clears something, so each starts from a fresh fixture.
    beforeEach(async () => {
      await codex?.stop();
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
    });
    afterAll(() => codex?.stop());

    const h = () => codex!.deps.db;
    const rows = async (
      table:
        | "companies"
        | "contacts"
        | "assets"
        | "tickets"
        | "ticketEntries"
        | "acceptedBills"
        | "agents"
        | "billingPlans"
        | "featureCategories",
    ) =>
      Number(
        (
          (await h()
            .db.select({ n: count() })
            .from(h().t[table] as never)) as { n: number }[]
        )[0]!.n,
      );
    const page = async (path: string, level: PermissionLevel = "admin") => {
      const res = await codex!.call(level, "GET", path, undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      return { status: res.status, html: await res.text() };
    };
    const post = async (fields: Record<string, string>, o: { level?: PermissionLevel; csrf?: boolean } = {}) => {
      const level = o.level ?? "admin";
      return codex!.call(
        level,
        "POST",
        "/admin/clear-data",
        new URLSearchParams({ ...fields, ...(o.csrf === false ? {} : { _csrf: await codex!.csrf(level) }) }).toString(),
        {
          accept: "text/html",
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-prefix": PREFIX,
        },
      );
    };
    const clears = () => h().db.select().from(h().t.auditLog).where(eq(h().t.auditLog.entityId, "all"));

    test("the page shows the counts and, for the chosen kind, the words to type", async () => {
      const { status, html } = await page("/admin/clear-data?kind=assets");
      expect(status).toBe(200);
      assertClassesDefined(html, "/admin/clear-data");
      expect(html).toContain("Type DELETE 4 ASSETS");
      expect(html).toContain(`action="${PREFIX}/admin/clear-data"`);
      expect(html).toContain('name="_csrf"');
      expect((await page("/admin/clear-data?kind=all")).html).toContain("DELETE 17 RECORDS");
      expect((await page("/admin/clear-data", "technician")).status).toBe(403);
    });

    test("only an admin with the CSRF token and the exact words deletes anything", async () => {
      expect((await post({ kind: "assets", confirm: "DELETE 4 ASSETS" }, { csrf: false })).status).toBe(403);
      expect((await post({ kind: "assets", confirm: "DELETE 4 ASSETS" }, { level: "technician" })).status).toBe(403);
      const wrong = await post({ kind: "assets", confirm: "delete 4 assets" });
      expect(wrong.status).toBe(422);
      const html = await wrong.text();
      expect(html).toContain('id="field-confirm-error"');
      expect(html).toContain("That is not DELETE 4 ASSETS");
      expect((await post({ kind: "everything", confirm: "DELETE 4 ASSETS" })).status).toBe(422);
      expect(await rows("assets")).toBe(4);
      // Service tokens pass admin checks on APIs, but this is a page: people only.
      expect(
        (
          await codex!.call("service", "POST", "/admin/clear-data", "kind=assets&confirm=DELETE+4+ASSETS", {
            "content-type": "application/x-www-form-urlencoded",
          })
        ).status,
      ).toBe(403);
    });

    test("clearing assets deletes them all, summarised in one audit row, and search forgets them", async () => {
      const res = await post({ kind: "assets", confirm: "DELETE 4 ASSETS" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${PREFIX}/admin/clear-data?cleared=1`);
      expect(await rows("assets")).toBe(0);
      expect(await rows("companies")).toBe(3);
      const audit = await clears();
      expect(audit.map((a) => [a.actor, a.action, a.entity, a.before])).toEqual([
        ["admin", "delete", "asset", { clear_data: "assets", deleted: 4, contact_links: 0, billing_overrides: 0 }],
      ]);
      expect((await (await codex!.call("technician", "GET", "/api/search?q=ACME-WS")).json()).assets).toEqual([]);
      const after = await page("/admin/clear-data?cleared=1");
      expect(after.html).toContain("Cleared.");
      expect(after.html).toContain("deleted: 4");
    });

    test("companies with accepted bills are kept, with their bills; the others go with everything of theirs", async () => {
      const acme = await requireCompany(h(), "ACME-001");
      await acceptBill(h(), acme, 2026, 3, null, { name: "billing" });
      const [bill] = await h().db.select().from(h().t.acceptedBills);
      expect((await page("/admin/clear-data?kind=companies")).html).toContain("Type DELETE 2 COMPANIES");
      expect((await post({ kind: "companies", confirm: "DELETE 2 COMPANIES" })).status).toBe(303);
      const left = await h().db.select().from(h().t.companies);
      expect(left.map((c) => c.accountNumber)).toEqual(["ACME-001"]);
      expect(await rows("acceptedBills")).toBe(1);
      expect((await h().db.select().from(h().t.acceptedBills))[0]).toEqual(bill!);
      // ACME's own assets and tickets stay; Beta's and Gamma's went with them. Contacts stay.
      expect((await h().db.select().from(h().t.assets)).every((a) => a.companyId === acme.id)).toBe(true);
      expect(await rows("contacts")).toBe(4);
      const [audit] = await clears();
      expect(audit!.before).toMatchObject({
        clear_data: "companies",
        deleted: 2,
        kept_with_accepted_bills: 1,
        assets: 2,
        tickets: 2,
        locations: 1,
      });
      expect((await page("/admin/clear-data?kind=companies")).html).toContain("Nothing to delete");
      expect((await post({ kind: "companies", confirm: "DELETE 0 COMPANIES" })).status).toBe(422);
    });

    test("clearing everything writes one audit row per kind", async () => {
      expect((await post({ kind: "all", confirm: "DELETE 17 RECORDS" })).status).toBe(303);
      for (const table of [
        "companies",
        "contacts",
        "assets",
        "tickets",
        "ticketEntries",
        "agents",
        "billingPlans",
      ] as const)
        expect([table, await rows(table)]).toEqual([table, 0]);
      const audit = await clears();
      expect(audit.map((a) => [a.entity, (a.before as { deleted: number }).deleted])).toEqual([
        ["ticket", 3],
        ["asset", 4],
        ["contact", 4],
        ["company", 3],
        ["agent", 1],
        ["billing_plan", 2],
      ]);
    });

    test("clearing agents deletes every one; their tickets stay, unassigned", async () => {
      const [agent] = await h().db.select().from(h().t.agents);
      await h().db.update(h().t.tickets).set({ assigneeId: agent!.id });
      expect((await page("/admin/clear-data?kind=agents")).html).toContain("Type DELETE 1 AGENTS");
      expect((await post({ kind: "agents", confirm: "DELETE 1 AGENTS" })).status).toBe(303);
      expect([await rows("agents"), await rows("tickets")]).toEqual([0, 3]);
      expect((await h().db.select().from(h().t.tickets)).every((t) => t.assigneeId === null)).toBe(true);
      const [audit] = await clears();
      expect(audit!.before).toEqual({ clear_data: "agents", deleted: 1, with_idp_identity: 1, assigned_tickets: 3 });
    });

    test("billing plans go only when no company is on them; a billed company keeps its plan and features", async () => {
      expect((await page("/admin/clear-data?kind=plans")).html).toContain("Nothing to delete");
      const billing = async (method: string, path: string, body: unknown) => {
        const res = await codex!.call("billing", method, path, body);
        expect([path, res.status]).toEqual([path, method === "POST" ? 201 : 200]);
        return res.json();
      };
      for (const key of ["antivirus", "backup"]) {
        await billing("POST", "/api/feature-categories", { key, name: key });
        await billing("POST", "/api/feature-options", { category: key, value: "yes" });
      }
      const gold = (await h().db.select().from(h().t.billingPlans)).find((p) => p.name === "Gold")!;
      const silver = (await h().db.select().from(h().t.billingPlans)).find((p) => p.name === "Silver")!;
      await billing("PUT", `/api/billing-plans/${gold.id}/features`, { antivirus: "yes" });
      await billing("PUT", `/api/billing-plans/${silver.id}/features`, { backup: "yes" });
      const acme = await requireCompany(h(), "ACME-001");
      await acceptBill(h(), acme, 2026, 3, null, { name: "billing" });
      // Everything: ACME (billed) stays with Gold; Silver, which only Beta was on, goes.
      expect((await page("/admin/clear-data?kind=all")).html).toContain("DELETE 15 RECORDS");
      expect((await post({ kind: "all", confirm: "DELETE 15 RECORDS" })).status).toBe(303);
      expect((await h().db.select().from(h().t.billingPlans)).map((p) => p.name)).toEqual(["Gold"]);
      expect((await h().db.select().from(h().t.companies)).map((c) => c.accountNumber)).toEqual(["ACME-001"]);
      // Gold's antivirus stays; backup, which only Silver offered, goes with it.
      expect((await h().db.select().from(h().t.featureCategories)).map((c) => c.key)).toEqual(["antivirus"]);
      const plans = (await clears()).find((a) => a.entity === "billing_plan");
      expect(plans!.before).toMatchObject({ deleted: 1, feature_categories: 1, feature_options: 1 });
    });

    test("a failure part-way deletes nothing (one transaction)", async () => {
      const db = h();
      if (db.sqlite)
        db.sqlite.exec(
          "CREATE TRIGGER no_company_delete BEFORE DELETE ON companies BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        );
      else {
        await db.pg!.unsafe(
          "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql",
        );
        await db.pg!.unsafe(
          "CREATE TRIGGER no_company_delete BEFORE DELETE ON companies FOR EACH ROW EXECUTE FUNCTION refuse()",
        );
      }
      await expect(clearData(db, "all", { name: "admin" })).rejects.toThrow();
      expect([await rows("tickets"), await rows("assets"), await rows("contacts"), await rows("companies")]).toEqual([
        3, 4, 4, 3,
      ]);
      expect(await clears()).toEqual([]);
    });
  });
}

for (const engine of ENGINES) {
  describe(`the demo data and Clear data (${engine})`, () => {
    let codex: CodexUnderTest;
    beforeAll(async () => {
      codex = await startCodex(engine);
    });
    afterAll(() => codex.stop());

    test("clearing everything removes all the demo added, agents and plans included, and a restart adds none back", async () => {
      const h = codex.deps.db;
      const development = { enabled: true, reason: "development" };
      expect((await demoOnFirstStart(h, development))?.demo).toBe("added");
      await clearData(h, "all", { name: "admin" });
      // What remains is the record of the clear (the audit log) and of the first start.
      const left: string[] = [];
      for (const [name, table] of Object.entries(h.t)) {
        if (!is(table, Table) || name === "auditLog" || name === "appSettings") continue;
        const [row] = (await h.db.select({ n: count() }).from(table as never)) as { n: number }[];
        if (Number(row!.n) > 0) left.push(`${name}: ${row!.n}`);
      }
      expect(left).toEqual([]);
      expect(await demoOnFirstStart(h, development)).toBeNull();
      expect(await rows(h, "companies")).toBe(0);
    }, 120_000);
  });
}

async function rows(h: CodexUnderTest["deps"]["db"], table: "companies"): Promise<number> {
  return Number(((await h.db.select({ n: count() }).from(h.t[table])) as { n: number }[])[0]!.n);
}
