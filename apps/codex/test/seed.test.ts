import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count } from "drizzle-orm";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seed } from "../src/seed/seed.ts";
import { demoOnFirstStart } from "../src/seed/first-start.ts";

for (const engine of ENGINES) {
  describe(`demo data on ${engine}`, () => {
    let codex: CodexUnderTest;
    beforeAll(async () => {
      codex = await startCodex(engine);
    });
    afterAll(() => codex.stop());

    test("an empty database gets a realistic MSP on its first start; a second start adds nothing", async () => {
      const development = { enabled: true, reason: "development" };
      const first = await demoOnFirstStart(codex.deps.db, development);
      expect(first).toMatchObject({
        demo: "added",
        summary: { scale: "demo", companies: 25, contacts: 300, assets: 1000, tickets: 3000 },
      });
      expect(await demoOnFirstStart(codex.deps.db, development)).toBeNull();
      const h = codex.deps.db;
      const n = async (t: object) =>
        Number(((await h.db.select({ n: count() }).from(t as never)) as { n: number }[])[0]!.n);
      expect(await n(h.t.billingPlans)).toBe(4);
      expect(await n(h.t.ticketEntries)).toBeGreaterThan(3000);
      expect(await n(h.t.lineItems)).toBeGreaterThan(0);
      expect(await n(h.t.companyBillingOverrides)).toBeGreaterThan(0);
      expect(await n(h.t.manualAssets)).toBeGreaterThan(0);
      expect(await n(h.t.manualUsers)).toBeGreaterThan(0);
    });

    test("the demo data works through the API: the dev client's company, search, new ids, bills", async () => {
      const acme = await (await codex.call("client", "GET", "/api/companies")).json();
      expect(acme.items.map((c: { account_number: string; name: string }) => [c.account_number, c.name])).toEqual([
        ["ACME-001", "Acme Dental"],
      ]);
      expect(
        (await (await codex.call("technician", "GET", "/api/search?q=acme-srv")).json()).assets.length,
      ).toBeGreaterThan(0);
      const made = await codex.call("technician", "POST", "/api/companies", {
        account_number: "NEW-999",
        name: "Freshly Added Widgets",
      });
      expect(made.status).toBe(201);
      expect(
        (await (await codex.call("technician", "GET", "/api/search?q=freshly widgets")).json()).companies,
      ).toHaveLength(1);
      expect(
        (await codex.call("technician", "POST", "/api/tickets", { company: "ACME-001", subject: "After seed" })).status,
      ).toBe(201);
      const now = new Date();
      const bills = await (
        await codex.call("billing", "GET", `/api/billing?year=${now.getUTCFullYear()}&month=${now.getUTCMonth() + 1}`)
      ).json();
      expect(bills.items).toHaveLength(26);
      expect(bills.items[0].totals.total_cents).toBeGreaterThan(0);
      const tickets = await (await codex.call("technician", "GET", "/api/tickets?limit=5&open=true")).json();
      expect(tickets.items).toHaveLength(5);
    });

    test("the same scale always produces the same data", async () => {
      const other = await startCodex(engine);
      try {
        await seed(other.deps.db, "demo");
        const names = async (c: CodexUnderTest) =>
          (await (await c.call("technician", "GET", "/api/contacts?limit=20&company=BRIG-002")).json()).items.map(
            (x: { email: string }) => x.email,
          );
        expect(await names(other)).toEqual(await names(codex));
        expect((await names(other)).length).toBe(12);
      } finally {
        await other.stop();
      }
    });
  });
}
