import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq } from "drizzle-orm";
import { createLogger } from "@hivematrix/lib/log";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { GOLD } from "./fixtures.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertAssets } from "../src/assets/data.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { openCodexDb, type CodexDb } from "../src/deps.ts";
import { runAcceptance } from "../src/billing/automation/data.ts";
import { BillingAutomation } from "../src/billing/automation/scheduler.ts";
import { previousMonth } from "../src/billing/months.ts";

const actor = { name: "schedule-test" };
const logger = createLogger({ service: "codex", level: "error" });

test("the previous month is counted in UTC months", () => {
  expect(previousMonth(new Date("2026-04-01T06:00:00Z"))).toEqual({ year: 2026, month: 3 });
  expect(previousMonth(new Date("2026-01-01T00:00:00Z"))).toEqual({ year: 2025, month: 12 });
  expect(previousMonth(new Date("2026-12-31T23:59:59Z"))).toEqual({ year: 2026, month: 11 });
});

for (const engine of ENGINES) {
  describe(`scheduled acceptance on ${engine}`, () => {
    let codex: CodexUnderTest;
    let h: CodexDb;
    const acceptedCount = async (year: number, month: number) =>
      Number(
        (
          await h.db
            .select({ n: count() })
            .from(h.t.acceptedBills)
            .where(and(eq(h.t.acceptedBills.year, year), eq(h.t.acceptedBills.month, month)))
        )[0]!.n,
      );

    beforeAll(async () => {
      codex = await startCodex(engine);
      h = codex.deps.db;
      await createPlan(h, GOLD, actor);
      await upsertCompanies(
        h,
        [
          { account_number: "P-1", name: "Paying One", billing_plan: "Gold", contract_term: "1_year" },
          { account_number: "P-2", name: "Paying Two", billing_plan: "Gold", contract_term: "1_year" },
          { account_number: "P-3", name: "Paying Three", billing_plan: "Gold", contract_term: "1_year" },
          { account_number: "E-4", name: "Nothing To Bill" },
        ],
        actor,
      );
      await upsertAssets(
        h,
        ["P-1", "P-2", "P-3"].map((company) => ({
          company,
          hostname: `${company}-WS`,
          asset_type: "workstation" as const,
        })),
        actor,
      );
    });
    afterAll(() => codex.stop());

    test("a tick accepts the previous month's bills once, as the scheduler; two processes firing the same tick run it once", async () => {
      // P-1 was accepted by hand already: the run leaves it alone.
      expect((await codex.call("billing", "POST", "/api/billing/P-1/accept", { year: 2026, month: 2 })).status).toBe(
        201,
      );
      // A second Codex process: its own database connection and its own scheduler.
      const second = await openCodexDb(codex.deps.config);
      const a = new BillingAutomation(h, logger);
      const b = new BillingAutomation(second, logger);
      try {
        const tick = new Date("2026-03-01T06:00:00.004Z");
        const [ra, rb] = await Promise.all([a.tick(tick), b.tick(new Date(tick.getTime() + 250))]);
        const runs = [ra, rb].filter(Boolean);
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({
          year: 2026,
          month: 2,
          triggeredBy: "scheduler",
          status: "succeeded",
          accepted: 2,
          skipped: 1,
          empty: 1,
          failed: 0,
        });
        const rows = (await h.db.select().from(h.t.acceptedBills)).filter((x) => x.year === 2026 && x.month === 2);
        expect(rows.map((x) => [x.accountNumber, x.acceptedBy]).sort()).toEqual([
          ["P-1", "billing"],
          ["P-2", "scheduler"],
          ["P-3", "scheduler"],
        ]);
        const audit = (await h.db.select().from(h.t.auditLog).where(eq(h.t.auditLog.entity, "accepted_bill"))).filter(
          (x) => x.actor === "scheduler",
        );
        expect(audit).toHaveLength(2);
        // The next tick runs again and skips everything: nothing is duplicated.
        const later = await b.tick(new Date("2026-03-02T06:00:00Z"));
        expect(later).toMatchObject({ month: 2, accepted: 0, skipped: 3, empty: 1, status: "succeeded" });
        expect(await acceptedCount(2026, 2)).toBe(3);
        expect((await h.db.select().from(h.t.billingRuns)).length).toBe(2);
      } finally {
        await a.stop();
        await b.stop();
        await second.close();
      }
    });

    test("the same run key never runs twice; a run stuck by a dead process is marked failed", async () => {
      const first = await runAcceptance(h, {
        year: 2026,
        month: 1,
        triggeredBy: "scheduler",
        runKey: "scheduled:test-key",
      });
      expect(first).toMatchObject({ accepted: 3, status: "succeeded" });
      expect(
        await runAcceptance(h, { year: 2026, month: 1, triggeredBy: "scheduler", runKey: "scheduled:test-key" }),
      ).toBeNull();
      await h.db.insert(h.t.billingRuns).values({
        runKey: "scheduled:crashed",
        year: 2025,
        month: 12,
        triggeredBy: "scheduler",
        status: "running",
        startedAt: new Date(Date.now() - 2 * 3_600_000),
      });
      await runAcceptance(h, { year: 2025, month: 12, triggeredBy: "billing", runKey: "manual:after-crash" });
      const [crashed] = await h.db
        .select()
        .from(h.t.billingRuns)
        .where(eq(h.t.billingRuns.runKey, "scheduled:crashed"));
      expect(crashed).toMatchObject({ status: "failed", error: "interrupted: the process running it stopped" });
    });

    test("the API: set the schedule (validated), see it armed, run a month by hand, list runs", async () => {
      const bad = await codex.call("admin", "PUT", "/api/billing/schedule", {
        enabled: true,
        cron: "every day",
        timezone: null,
      });
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.details[0].field).toBe("cron");
      expect(
        (
          await codex.call("admin", "PUT", "/api/billing/schedule", {
            enabled: true,
            cron: "0 6 1 * *",
            timezone: "Mars/Olympus",
          })
        ).status,
      ).toBe(422);
      expect(
        (await codex.call("billing", "PUT", "/api/billing/schedule", { enabled: true, cron: "0 6 1 * *" })).status,
      ).toBe(403);
      const ok = await codex.call("admin", "PUT", "/api/billing/schedule", {
        enabled: true,
        cron: "0 6 1 * *",
        timezone: "Europe/London",
      });
      expect(ok.status).toBe(200);
      const schedule = await ok.json();
      expect(schedule).toMatchObject({
        enabled: true,
        cron: "0 6 1 * *",
        timezone: "Europe/London",
        updated_by: "admin",
      });
      expect(schedule.next_runs).toHaveLength(3);
      expect(new Date(schedule.next_runs[0]).getUTCDate()).toBe(1);
      expect((await (await codex.call("admin", "GET", "/api/billing/schedule")).json()).enabled).toBe(true);
      expect(
        (
          await codex.call("admin", "PUT", "/api/billing/schedule", {
            enabled: false,
            cron: "0 6 1 * *",
            timezone: null,
          })
        ).status,
      ).toBe(200);

      const run = await codex.call("billing", "POST", "/api/billing/accept-month", { year: 2025, month: 11 });
      expect(run.status).toBe(201);
      expect(await run.json()).toMatchObject({
        year: 2025,
        month: 11,
        triggered_by: "billing",
        accepted: 3,
        empty: 1,
        status: "succeeded",
      });
      expect((await codex.call("billing", "POST", "/api/billing/accept-month", { year: 2099, month: 1 })).status).toBe(
        422,
      );
      expect(
        (await codex.call("technician", "POST", "/api/billing/accept-month", { year: 2025, month: 11 })).status,
      ).toBe(403);
      const runs = await (await codex.call("technician", "GET", "/api/billing/runs")).json();
      expect(runs.items[0]).toMatchObject({ year: 2025, month: 11, triggered_by: "billing" });
    });

    test("an armed schedule fires on its own and stops on shutdown", async () => {
      const automation = new BillingAutomation(h, logger);
      try {
        // Every second; the first tick accepts last month's bills (relative to now).
        expect(
          (
            await codex.call("admin", "PUT", "/api/billing/schedule", {
              enabled: true,
              cron: "* * * * * *",
              timezone: null,
            })
          ).status,
        ).toBe(200);
        await automation.apply();
        expect(automation.view().nextRuns).toHaveLength(3);
        const { year, month } = previousMonth(new Date());
        // The app's own scheduler (armed by the PUT) and this one fire together: one of them runs the tick.
        let runs: { triggeredBy: string }[] = [];
        for (let i = 0; i < 50 && runs.length === 0; i++) {
          await Bun.sleep(100);
          runs = (await h.db.select().from(h.t.billingRuns)).filter(
            (r) => r.triggeredBy === "scheduler" && r.year === year && r.month === month && r.status === "succeeded",
          );
        }
        expect(runs.length).toBeGreaterThanOrEqual(1);
        await automation.stop();
        await codex.app.billing.stop();
        expect(automation.view().nextRuns).toEqual([]);
        expect(await acceptedCount(year, month)).toBe(3);
      } finally {
        await automation.stop();
        await codex.call("admin", "PUT", "/api/billing/schedule", {
          enabled: false,
          cron: "0 6 1 * *",
          timezone: null,
        });
      }
    });
  });
}
