import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AnyColumn, and, count, eq, gte, inArray, isNull, lt, notInArray, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { dashboardData } from "../src/dashboard/data.ts";
import { CLOSED_STATUSES } from "../src/db/schema.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { seedFixture } from "./fixtures.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

const WEEK = 7 * 86_400_000;

/** Monday 00:00 UTC of this week, as the dashboard counts weeks. */
function thisMonday(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
}

/** Tickets opened and closed around the weeks' edges: on a Monday at midnight, a millisecond before, long ago. */
function ticketsAcrossWeeks() {
  const monday = thisMonday().getTime();
  const at = (ms: number) => new Date(ms).toISOString();
  const rows = [];
  for (let week = 0; week < 14; week++) {
    const start = monday - week * WEEK;
    for (const [index, offset] of [0, -1, 3 * 86_400_000, 5 * 3_600_000].entries())
      rows.push({
        company: week % 2 ? "BETA-002" : "ACME-001",
        subject: `Week ${week} ticket ${index}`,
        external_source: "dashboard-test",
        external_id: `w${week}-${index}`,
        created_at: at(start + offset),
        ...(index % 2 ? { status: "closed", closed_at: at(start + offset + 2 * 86_400_000) } : {}),
      });
  }
  return rows;
}

for (const engine of ENGINES) {
  describe(`the dashboard's figures (${engine})`, () => {
    let codex: CodexUnderTest;

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      const result = await upsertTickets(codex.deps.db, ticketsAcrossWeeks(), { name: "test" });
      expect(result.ok).toBe(true);
    });
    afterAll(() => codex.stop());

    /** What the dashboard once counted with one COUNT per figure and per week and column. */
    async function countedOneByOne(scope: number | null) {
      const { db, t } = codex.deps.db;
      const total = async (table: PgTable, where?: SQL) =>
        Number((await db.select({ total: count() }).from(table).where(where))[0]!.total);
      const own = (column: AnyColumn) => (scope === null ? undefined : eq(column, scope));
      const first = new Date(thisMonday().getTime() - 11 * WEEK);
      const weeks = [];
      for (let week = 0; week < 12; week++) {
        const from = new Date(first.getTime() + week * WEEK);
        const to = new Date(from.getTime() + WEEK);
        const within = (column: AnyColumn) => and(gte(column, from), lt(column, to));
        weeks.push({
          week: from.toISOString().slice(5, 10),
          opened: await total(t.tickets as PgTable, and(own(t.tickets.companyId), within(t.tickets.createdAt))),
          closed: await total(t.tickets as PgTable, and(own(t.tickets.companyId), within(t.tickets.closedAt))),
        });
      }
      const contacts =
        scope === null
          ? undefined
          : inArray(
              t.contacts.id,
              db
                .select({ id: t.contactCompanies.contactId })
                .from(t.contactCompanies)
                .where(eq(t.contactCompanies.companyId, scope)),
            );
      const figures = [
        await total(t.companies as PgTable, and(own(t.companies.id), isNull(t.companies.staleSince))),
        await total(t.contacts as PgTable, contacts),
        await total(t.assets as PgTable, and(own(t.assets.companyId), isNull(t.assets.staleSince))),
        await total(
          t.tickets as PgTable,
          and(own(t.tickets.companyId), notInArray(t.tickets.status, [...CLOSED_STATUSES])),
        ),
        ...(scope === null ? [await total(t.agents as PgTable), await total(t.billingPlans as PgTable)] : []),
      ];
      return { weeks, figures };
    }

    test("one statement per chart answers what one count per week did, for staff and for a client", async () => {
      const acme = (
        await codex.deps.db.db
          .select({ id: codex.deps.db.t.companies.id })
          .from(codex.deps.db.t.companies)
          .where(eq(codex.deps.db.t.companies.accountNumber, "ACME-001"))
      )[0]!.id;
      for (const scope of [null, acme]) {
        const data = await dashboardData(codex.deps.db, scope);
        const expected = await countedOneByOne(scope);
        expect(data.weeks).toEqual(expected.weeks);
        expect(data.counts.map((figure) => figure.value)).toEqual(expected.figures);
        expect(data.weeks.reduce((sum, week) => sum + week.opened + week.closed, 0)).toBeGreaterThan(10);
      }
    });
  });
}
