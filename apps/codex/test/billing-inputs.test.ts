import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPlan } from "../src/billing/plans/data.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { GOLD } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex } from "./harness.ts";

/**
 * What a company's bill counts from Codex's records (bills/data-inputs-usage.ts), by worked
 * example: its active contacts (a person's billing override belongs to one of their companies),
 * its devices and users added by hand, and its billable time; the same whether one company's
 * bill or every company's is asked for.
 */

type Line = { category: string; description: string; quantity: number; amount_cents: number };

for (const engine of ENGINES) {
  describe(`bill inputs on ${engine}`, () => {
    let codex: CodexUnderTest;
    const actor = { name: "inputs-test" };
    const bill = async (acct: string) => {
      const res = await codex.call("billing", "GET", `/api/billing/${acct}?year=2026&month=3`);
      expect(res.status).toBe(200);
      return res.json();
    };
    const lines = (body: { lines: Line[] }, category: string) =>
      body.lines
        .filter((line) => line.category === category)
        .map((line) => [line.description, line.quantity, line.amount_cents]);
    const created = async (res: Promise<Response>) => {
      const answer = await res;
      expect(answer.status).toBeLessThan(300);
      return answer.json();
    };

    beforeAll(async () => {
      codex = await startCodex(engine);
      const db = codex.deps.db;
      await createPlan(db, { ...GOLD, name: "Plain", prepaid_minutes_monthly: 0, per_hour_cents: 6000 }, actor);
      await upsertCompanies(
        db,
        [
          { account_number: "U-1", name: "Uniform", billing_plan: "Plain", contract_term: "1_year" },
          { account_number: "U-2", name: "Victor", billing_plan: "Plain", contract_term: "1_year" },
        ],
        actor,
      );
      await upsertContacts(
        db,
        [
          { name: "Ann", email: "ann@u.example", companies: ["U-1"] },
          { name: "Bob", email: "bob@u.example", companies: ["U-1"] },
          { name: "Cat", email: "cat@u.example", companies: ["U-1"], active: false },
          { name: "Dan", email: "dan@u.example", companies: ["U-1"] },
          { name: "Eve", email: "eve@v.example", companies: ["U-1", "U-2"] },
        ],
        actor,
      );
      const people = await (await codex.call("billing", "GET", "/api/contacts?limit=50")).json();
      const id = (name: string) => people.items.find((person: { name: string }) => person.name === name).id;
      const override = (acct: string, name: string, body: object) =>
        created(codex.call("billing", "PUT", `/api/companies/${acct}/users/${id(name)}/billing-override`, body));
      // Cat has left: her custom price is not billed. Dan is free at U-1; Eve is free at U-2 only.
      await override("U-1", "Cat", { billing_type: "custom", custom_cents: 500 });
      await override("U-1", "Dan", { billing_type: "free" });
      await override("U-2", "Eve", { billing_type: "free" });
      for (const body of [
        { hostname: "HAND-1", billing_type: "custom", custom_cents: 700 },
        { hostname: "HAND-2", billing_type: "server" },
        { hostname: "HAND-3", billing_type: "custom", custom_cents: 300 },
      ])
        await created(codex.call("billing", "POST", "/api/companies/U-1/manual-assets", body));
      for (const body of [
        { name: "Temp", billing_type: "paid" },
        { name: "Guest", billing_type: "free" },
        { name: "Auditor", billing_type: "custom", custom_cents: 250 },
      ])
        await created(codex.call("billing", "POST", "/api/companies/U-1/manual-users", body));
      await upsertTickets(
        db,
        [
          {
            company: "U-1",
            subject: "Work",
            created_at: "2026-03-01T00:00:00.000Z",
            time_entries: [
              { minutes: 30, logged_at: "2026-03-05T10:00:00.000Z" },
              { minutes: 45, logged_at: "2026-03-06T10:00:00.000Z", billable: false },
            ],
          },
          {
            company: "U-2",
            subject: "Other work",
            created_at: "2026-03-01T00:00:00.000Z",
            time_entries: [{ minutes: 10, logged_at: "2026-03-05T10:00:00.000Z" }],
          },
        ],
        actor,
      );
    }, 30_000);
    afterAll(() => codex.stop());

    test("users: active contacts, each override at its own company, and users added by hand", async () => {
      const uniform = await bill("U-1");
      // Ann, Bob, Eve and Temp paid (4 × 15.00); Dan and Guest free; the Auditor 2.50; Cat has left.
      expect(lines(uniform, "users")).toEqual([
        ["Users", 4, 6000],
        ["Auditor (custom price)", 1, 250],
        ["Users at no charge", 2, 0],
      ]);
      expect(uniform.counts.users).toBe(7);
      expect(uniform.adjustments.users).toEqual([{ name: "Dan", billed_as: "free", custom_cents: null }]);
      const victor = await bill("U-2");
      expect(lines(victor, "users")).toEqual([["Users at no charge", 1, 0]]);
      expect(victor.counts.users).toBe(1);
    });

    test("devices added by hand, in the order they were added", async () => {
      const uniform = await bill("U-1");
      expect(lines(uniform, "assets")).toEqual([
        ["Servers", 1, 12000],
        ["HAND-1 (custom price)", 1, 700],
        ["HAND-3 (custom price)", 1, 300],
      ]);
      expect(uniform.adjustments.manual_users.map((user: { name: string }) => user.name)).toEqual([
        "Temp",
        "Guest",
        "Auditor",
      ]);
      expect((await bill("U-2")).adjustments.manual_assets).toEqual([]);
    });

    test("billable time of the company only", async () => {
      expect((await bill("U-1")).tickets.minutes_logged).toBe(30);
      expect((await bill("U-2")).tickets.minutes_logged).toBe(10);
    });

    test("every company's bills in one call count the same as each company's own", async () => {
      const all = await (await codex.call("billing", "GET", "/api/billing?year=2026&month=3")).json();
      for (const acct of ["U-1", "U-2"]) {
        const own = await bill(acct);
        const listed = all.items.find((item: { account_number: string }) => item.account_number === acct);
        expect([acct, listed.lines, listed.counts, listed.tickets]).toEqual([acct, own.lines, own.counts, own.tickets]);
      }
    });
  });
}
