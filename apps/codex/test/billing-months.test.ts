import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { HttpError } from "@hivematrix/lib/errors";
import { acceptMonth } from "../src/billing/bills/data.ts";
import {
  assertMonthStarted,
  MONTH_OPTIONS,
  MONTHS,
  monthStart,
  pad2,
  pagePeriod,
  previousMonth,
} from "../src/billing/months.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { GOLD } from "./fixtures.ts";

/**
 * Billing's months are UTC months: time logged at 00:00:00.000 on the 1st belongs to the new
 * month, 23:59:59.999 on the last day to the old one (29 February in a leap year), and a
 * month's bills cannot be accepted before that month has started.
 */

const NOT_STARTED = [{ field: "month", message: "A month that has not started cannot be billed yet." }];

/** The error `assertMonthStarted` throws for this month at `now`, or null when it may be billed. */
function refusal(year: number, month: number, now: string): unknown {
  try {
    assertMonthStarted(year, month, new Date(now));
    return null;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code, details: error.details };
  }
}
const REFUSED = { status: 422, code: "validation_failed", details: NOT_STARTED };

describe("months", () => {
  test("a month's bills are refused until its first instant (UTC)", () => {
    expect(refusal(2026, 4, "2026-03-31T23:59:59.999Z")).toEqual(REFUSED);
    expect(refusal(2026, 4, "2026-04-01T00:00:00.000Z")).toBeNull();
    expect(refusal(2026, 3, "2026-03-31T23:59:59.999Z")).toBeNull();
    expect(refusal(2026, 2, "2026-03-01T00:00:00.000Z")).toBeNull();
    expect(refusal(2026, 5, "2026-04-01T00:00:00.000Z")).toEqual(REFUSED);
    // Next year, the same month or an earlier one
    expect(refusal(2027, 3, "2026-03-15T12:00:00.000Z")).toEqual(REFUSED);
    expect(refusal(2027, 1, "2026-03-15T12:00:00.000Z")).toEqual(REFUSED);
    expect(refusal(2025, 12, "2026-03-15T12:00:00.000Z")).toBeNull();
    // Across the new year, and a leap day
    expect(refusal(2027, 1, "2026-12-31T23:59:59.999Z")).toEqual(REFUSED);
    expect(refusal(2027, 1, "2027-01-01T00:00:00.000Z")).toBeNull();
    expect(refusal(2024, 3, "2024-02-29T23:59:59.999Z")).toEqual(REFUSED);
    expect(refusal(2024, 2, "2024-02-29T23:59:59.999Z")).toBeNull();
    // A clock in another time zone changes nothing: 1 April 01:00 in Paris is still 31 March in UTC.
    expect(refusal(2026, 4, "2026-04-01T01:00:00.000+02:00")).toEqual(REFUSED);
  });

  test("a month starts at 00:00 UTC on the 1st; month 13 is January", () => {
    expect(monthStart(2024, 2).toISOString()).toBe("2024-02-01T00:00:00.000Z");
    expect(monthStart(2024, 3).toISOString()).toBe("2024-03-01T00:00:00.000Z");
    expect(monthStart(2026, 12).toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(monthStart(2026, 13).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  test("the month before, in UTC", () => {
    expect(previousMonth(new Date("2024-03-01T00:00:00.000Z"))).toEqual({ year: 2024, month: 2 });
    expect(previousMonth(new Date("2024-02-29T23:59:59.999Z"))).toEqual({ year: 2024, month: 1 });
    expect(previousMonth(new Date("2027-01-01T00:00:00.000Z"))).toEqual({ year: 2026, month: 12 });
    expect(previousMonth(new Date("2026-02-01T00:00:00.000+01:00"))).toEqual({ year: 2025, month: 12 });
  });

  test("a page's period: the one asked for, else this month", () => {
    const now = new Date("2024-02-29T12:00:00.000Z");
    expect(pagePeriod({ year: "2026", month: "3" }, now)).toEqual({ year: 2026, month: 3 });
    expect(pagePeriod({ year: "2000", month: "1" }, now)).toEqual({ year: 2000, month: 1 });
    expect(pagePeriod({ year: "2100", month: "12" }, now)).toEqual({ year: 2100, month: 12 });
    expect(pagePeriod({}, now)).toEqual({ year: 2024, month: 2 });
    for (const [year, month] of [
      ["1999", "0"],
      ["2101", "13"],
      ["2026.5", "2.5"],
      ["abc", "-1"],
      ["", ""],
    ])
      expect(pagePeriod({ year, month }, now)).toEqual({ year: 2024, month: 2 });
  });

  test("names and numbers of months", () => {
    expect(MONTHS).toEqual([
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December",
    ]);
    expect(MONTH_OPTIONS[0]).toEqual({ value: "1", label: "January" });
    expect(MONTH_OPTIONS[11]).toEqual({ value: "12", label: "December" });
    expect(MONTH_OPTIONS).toHaveLength(12);
    expect([pad2(3), pad2(12), pad2(0)]).toEqual(["03", "12", "00"]);
  });
});

for (const engine of ENGINES) {
  describe(`billing months on ${engine}`, () => {
    let codex: CodexUnderTest;
    const actor = { name: "months-test" };
    const bill = async (acct: string, year: number, month: number) => {
      const res = await codex.call("billing", "GET", `/api/billing/${acct}?year=${year}&month=${month}`);
      expect(res.status).toBe(200);
      return res.json();
    };
    const minutes = async (acct: string, year: number, month: number) =>
      (await bill(acct, year, month)).tickets.minutes_logged;

    beforeAll(async () => {
      codex = await startCodex(engine);
      const db = codex.deps.db;
      // 6,000 ¢ an hour: a minute is 100 ¢.
      const hourly = { ...GOLD, per_hour_cents: 6000, prepaid_minutes_monthly: 0 };
      await createPlan(db, { ...hourly, name: "Hourly" }, actor);
      await createPlan(
        db,
        { ...hourly, name: "Pooled", prepaid_minutes_monthly: 30, prepaid_minutes_yearly: 100 },
        actor,
      );
      await upsertCompanies(
        db,
        [
          { account_number: "T-1", name: "Timely", billing_plan: "Hourly", contract_term: "1_year" },
          { account_number: "Y-2", name: "Yearly", billing_plan: "Pooled", contract_term: "1_year" },
          { account_number: "L-3", name: "Lines" },
        ],
        actor,
      );
      const entry = (minutes: number, logged_at: string) => ({ minutes, logged_at });
      await upsertTickets(
        db,
        [
          {
            company: "T-1",
            subject: "Boundaries",
            created_at: "2023-12-01T00:00:00.000Z",
            time_entries: [
              entry(10, "2026-03-31T23:59:59.999Z"),
              entry(20, "2026-04-01T00:00:00.000Z"),
              entry(70, "2024-01-31T23:59:59.999Z"),
              entry(60, "2024-02-01T00:00:00.000Z"),
              entry(30, "2024-02-29T12:00:00.000Z"),
              entry(40, "2024-02-29T23:59:59.999Z"),
              entry(50, "2024-03-01T00:00:00.000Z"),
              entry(5, "2025-12-31T23:59:59.999Z"),
              entry(15, "2026-01-01T00:00:00.000Z"),
            ],
          },
          {
            company: "Y-2",
            subject: "Pool",
            created_at: "2023-12-01T00:00:00.000Z",
            time_entries: [
              entry(60, "2024-01-31T23:59:59.999Z"),
              entry(30, "2024-02-01T00:00:00.000Z"),
              entry(45, "2024-02-29T23:59:59.999Z"),
              entry(80, "2024-03-01T00:00:00.000Z"),
            ],
          },
        ],
        actor,
      );
      for (const item of [
        { name: "Leap setup", kind: "one_off", amount_cents: 2900, year: 2024, month: 2 },
        { name: "February renewal", kind: "yearly", amount_cents: 1200, month: 2 },
      ])
        expect((await codex.call("billing", "POST", "/api/companies/L-3/line-items", item)).status).toBe(201);
    }, 30_000);
    afterAll(() => codex.stop());

    test("time logged at 00:00 on the 1st counts in the new month, 23:59:59.999 in the old one", async () => {
      expect(await minutes("T-1", 2026, 3)).toBe(10);
      expect(await minutes("T-1", 2026, 4)).toBe(20);
      expect(await minutes("T-1", 2025, 12)).toBe(5);
      expect(await minutes("T-1", 2026, 1)).toBe(15);
      const april = await bill("T-1", 2026, 4);
      expect(april.totals.tickets_cents).toBe(2000);
    });

    test("29 February belongs to February of a leap year", async () => {
      expect(await minutes("T-1", 2024, 1)).toBe(70);
      expect(await minutes("T-1", 2024, 2)).toBe(60 + 30 + 40);
      expect(await minutes("T-1", 2024, 3)).toBe(50);
      expect((await bill("T-1", 2024, 2)).totals.tickets_cents).toBe(13000);
    });

    test("the yearly pool counts each earlier month by the same boundaries", async () => {
      // Monthly 30 min, yearly 100: January 60 (30 from the pool), February 30 + 45 (45 from it), 25 left;
      // March 80 − 30 = 50, of which 25 from the pool: 25 min × 100 ¢.
      const february = await bill("Y-2", 2024, 2);
      expect(february.tickets).toEqual({
        minutes_logged: 75,
        prepaid_monthly_minutes: 30,
        yearly_prepaid_remaining_minutes: 70,
        billable_minutes: 0,
      });
      const march = await bill("Y-2", 2024, 3);
      expect(march.tickets).toEqual({
        minutes_logged: 80,
        prepaid_monthly_minutes: 30,
        yearly_prepaid_remaining_minutes: 25,
        billable_minutes: 25,
      });
      expect(march.totals.tickets_cents).toBe(2500);
      // A month without time (April) draws nothing: May starts with 100 − 30 − 45 − 50 = nothing left.
      expect((await bill("Y-2", 2024, 5)).tickets.yearly_prepaid_remaining_minutes).toBe(0);
      expect((await bill("Y-2", 2024, 4)).tickets.yearly_prepaid_remaining_minutes).toBe(0);
      // A new year starts with a full pool: nothing of 2024 counts in January 2025.
      expect((await bill("Y-2", 2025, 1)).tickets.yearly_prepaid_remaining_minutes).toBe(100);
    });

    test("a one-off line item of 29 February 2024 is billed then, never a year later; a yearly one each February", async () => {
      const names = async (year: number, month: number) =>
        (await bill("L-3", year, month)).lines.map((line: { description: string }) => line.description);
      expect(await names(2024, 2)).toEqual(["Leap setup", "February renewal"]);
      expect(await names(2025, 2)).toEqual(["February renewal"]);
      expect(await names(2028, 2)).toEqual(["February renewal"]);
      expect(await names(2024, 3)).toEqual([]);
      expect((await bill("L-3", 2024, 2)).totals.line_items_cents).toBe(4100);
    });

    describe("next month's bills cannot be accepted before it starts", () => {
      const now = new Date();
      const next =
        now.getUTCMonth() === 11
          ? { year: now.getUTCFullYear() + 1, month: 1 }
          : { year: now.getUTCFullYear(), month: now.getUTCMonth() + 2 };
      const form = async (level: PermissionLevel, path: string, fields: Record<string, string>) => {
        const body = new URLSearchParams({ ...fields, _csrf: await codex.csrf(level) }).toString();
        const res = await codex.call(level, "POST", path, body, {
          accept: "text/html",
          "content-type": "application/x-www-form-urlencoded",
        });
        return { status: res.status, html: await res.text() };
      };
      const invoices = async () => (await (await codex.call("admin", "GET", "/api/invoices")).json()).items;

      test("over the API: one company's bill and the whole month", async () => {
        for (const path of ["/api/billing/T-1/accept", "/api/billing/accept-month"]) {
          const res = await codex.call("billing", "POST", path, next);
          expect([path, res.status]).toEqual([path, 422]);
          expect((await res.json()).error.details).toEqual(NOT_STARTED);
        }
        expect(await invoices()).toEqual([]);
      });

      test("on the pages: the bill's Accept, the dashboard's and the automation's", async () => {
        const fields = { year: String(next.year), month: String(next.month) };
        for (const [level, path] of [
          ["billing", "/companies/T-1/bill/accept"],
          ["billing", "/billing/accept-month"],
          ["admin", "/billing/automation/run"],
        ] as const) {
          const page = await form(level, path, fields);
          expect([path, page.status]).toEqual([path, 422]);
          expect(page.html).toContain("A month that has not started cannot be billed yet.");
        }
        expect(await invoices()).toEqual([]);
      });

      test("accepting a whole month refuses it until its first instant, whoever calls", async () => {
        await expect(acceptMonth(codex.deps.db, 2026, 4, actor, new Date("2026-03-31T23:59:59.999Z"))).rejects.toThrow(
          "The request is invalid.",
        );
        expect(await invoices()).toEqual([]);
        const outcome = await acceptMonth(codex.deps.db, 2026, 4, actor, new Date("2026-04-01T00:00:00.000Z"));
        expect(outcome).toEqual({ accepted: ["T-1-202604"], skipped: 0, empty: 2, failed: [] });
      });
    });
  });
}
