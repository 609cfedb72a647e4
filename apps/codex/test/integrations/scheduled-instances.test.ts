import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createLogger } from "@hivematrix/lib/log";
import { postgresTestUrl, tempHome } from "@hivematrix/lib/testing";
import { BillingAutomation } from "../../src/billing/automation/scheduler.ts";
import { writeSchedule } from "../../src/billing/automation/data.ts";
import type { CodexDb } from "../../src/deps.ts";
import { Integrations } from "../../src/integrations/service.ts";
import { schedulerSettingsSchema, writeSettings } from "../../src/integrations/settings.ts";
import { listJobs } from "../../src/integrations/sync/jobs.ts";
import { freshDb, type OpenedDb, reopen } from "./engines.ts";

const logger = createLogger({ service: "codex-test", level: "error" });

// Each test waits for a timer due seconds ahead, then for its run.
setDefaultTimeout(30_000);

/** A cron expression due once in the coming minute: at the second `ms` from now. */
function dueOnceIn(ms: number): { cron: string; at: number } {
  const at = Date.now() + ms;
  return { cron: `${new Date(at).getUTCSeconds()} * * * * *`, at };
}

/**
 * Two Codex instances on one PostgreSQL database, each with its own timers armed from the same
 * stored schedules (as every instance arms them at start): a sync or a bill acceptance due once
 * runs once, on one of them.
 */
describe.skipIf(!postgresTestUrl())("Codex's schedules on two instances (PostgreSQL)", () => {
  let h: OpenedDb;
  let second: CodexDb;
  beforeAll(async () => {
    h = await freshDb("postgres");
    second = await reopen(h);
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  test("a sync due once runs once across both instances' timers", async () => {
    const { cron, at } = dueOnceIn(2_500);
    const settings = schedulerSettingsSchema.parse({ jobs: { psa: { enabled: true, cron } } });
    await writeSettings(h.db, "scheduler", { enabled: true, settings }, "admin");
    const instances = [h.db, second].map(
      (db) => new Integrations({ db, home: tempHome(), logger, idp: { url: "http://127.0.0.1:9", realm: "x" } }),
    );
    try {
      for (const instance of instances) await instance.applySchedule();
      // Past the due second, and the run (not configured here: it fails at once) recorded.
      await Bun.sleep(Math.max(0, at - Date.now()) + 2_500);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
    }
    const runs = await listJobs(h.db, { kind: "psa", limit: 10 });
    expect(runs.map((run) => run.triggeredBy)).toEqual(["scheduler"]);
  });

  test("a bill acceptance due once runs once across both instances' timers", async () => {
    const { cron, at } = dueOnceIn(2_500);
    await writeSchedule(h.db, { enabled: true, cron, timezone: null }, { name: "admin" });
    const instances = [h.db, second].map((db) => new BillingAutomation(db, logger));
    try {
      for (const instance of instances) await instance.apply();
      await Bun.sleep(Math.max(0, at - Date.now()) + 2_500);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
    }
    const runs = await h.db.db.select().from(h.db.t.billingRuns);
    expect(runs.map((run) => run.triggeredBy)).toEqual(["scheduler"]);
  });
});
