import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "@hivematrix/lib/log";
import { getJob, JobBusyError, lastJob, listJobs, lockKey, startJob } from "../../src/integrations/sync/jobs.ts";
import { cronProblem, nextRuns, SyncScheduler } from "../../src/integrations/scheduler.ts";
import {
  DEFAULT_SCHEDULES,
  readSettings,
  schedulerSettingsSchema,
  writeSettings,
} from "../../src/integrations/settings.ts";
import { ENGINES, freshDb, reopen, type OpenedDb } from "./engines.ts";

const logger = createLogger({ service: "codex-test", level: "error" });

for (const engine of ENGINES) {
  describe(`sync runs and locks (${engine})`, () => {
    let h: OpenedDb;
    beforeAll(async () => {
      h = await freshDb(engine);
    });
    afterAll(() => h.close());

    test("a run is recorded with its counts and output; a second run of the same kind is refused meanwhile", async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = await startJob(
        h.db,
        "psa",
        async (report) => {
          await gate;
          report.add("companies_created", 3);
          report.log("3 companies created");
        },
        { triggeredBy: "admin", logger },
      );
      expect(first.job.status).toBe("running");
      const refused = await startJob(h.db, "psa", async () => {}, { triggeredBy: "scheduler", logger }).catch((e) => e);
      expect(refused).toBeInstanceOf(JobBusyError);
      expect(refused.holder).toBe(first.job.id);
      // Another kind is not blocked.
      const other = await startJob(h.db, "rmm", async () => {}, { triggeredBy: "admin", logger });
      await other.done;
      release();
      const done = await first.done;
      expect(done.status).toBe("succeeded");
      expect(done.counts).toEqual({ companies_created: 3 });
      expect(done.output).toBe("3 companies created");
      expect((await getJob(h.db, first.job.id))!.finishedAt).toBeInstanceOf(Date);
      // The lock is free again.
      const again = await startJob(h.db, "psa", async () => {}, { triggeredBy: "admin", logger });
      await again.done;
    });

    test("incremental and full-history ticket syncs share one lock", async () => {
      expect(lockKey("tickets_full")).toBe(lockKey("tickets"));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const full = await startJob(h.db, "tickets_full", () => gate, { triggeredBy: "admin", logger });
      await expect(
        startJob(h.db, "tickets", async () => {}, { triggeredBy: "scheduler", logger }),
      ).rejects.toBeInstanceOf(JobBusyError);
      release();
      await full.done;
    });

    test("a failing run is recorded as failed with its error, and frees the lock", async () => {
      const run = await startJob(
        h.db,
        "agents",
        async (report) => {
          report.add("agents_seen", 2);
          throw new Error("keycloak: cannot reach GET http://127.0.0.1:1/admin/realms/x/users");
        },
        { triggeredBy: "admin", logger },
      );
      const done = await run.done;
      expect(done.status).toBe("failed");
      expect(done.error).toContain("cannot reach");
      expect(done.counts).toEqual({ agents_seen: 2 });
      expect((await lastJob(h.db, "agents"))!.id).toBe(run.job.id);
      expect(await lastJob(h.db, "agents", true)).toBeNull();
      const next = await startJob(h.db, "agents", async () => {}, { triggeredBy: "admin", logger });
      expect((await next.done).status).toBe("succeeded");
      expect((await lastJob(h.db, "agents", true))!.id).toBe(next.job.id);
    });

    test("the lock of a process that died is taken over and its run marked interrupted", async () => {
      const lock = { heartbeatMs: 10_000, staleMs: 50 };
      const dead = await startJob(h.db, "rmm", () => new Promise(() => {}), { triggeredBy: "admin", logger, lock });
      await Bun.sleep(120);
      const taker = await startJob(h.db, "rmm", async () => {}, { triggeredBy: "scheduler", logger, lock });
      await taker.done;
      const old = await getJob(h.db, dead.job.id);
      expect(old!.status).toBe("failed");
      expect(old!.error).toContain("interrupted");
    });

    test("a scheduler tick already run by another process is skipped, even when both fire at once", async () => {
      const tick = new Date();
      const fire = () =>
        startJob(h.db, "tickets_full", async () => {}, {
          triggeredBy: "scheduler",
          logger,
          skipIfStartedSince: tick,
        }).catch((e) => (e instanceof JobBusyError ? null : Promise.reject(e)));
      const results = await Promise.all([fire(), fire(), fire()]);
      const ran = results.filter((r) => r !== null);
      expect(ran).toHaveLength(1);
      await ran[0]!.done;
      expect(await fire()).toBeNull();
      const later = await startJob(h.db, "tickets_full", async () => {}, {
        triggeredBy: "scheduler",
        logger,
        skipIfStartedSince: new Date(Date.now() + 1000),
      });
      expect(later).not.toBeNull();
      await later!.done;
    });

    test("a second database handle (another process) is refused while a run holds the lock", async () => {
      const other = await reopen(h);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const run = await startJob(h.db, "psa", () => gate, { triggeredBy: "admin", logger });
      await expect(startJob(other, "psa", async () => {}, { triggeredBy: "scheduler", logger })).rejects.toBeInstanceOf(
        JobBusyError,
      );
      release();
      await run.done;
      const mine = await startJob(other, "psa", async () => {}, { triggeredBy: "scheduler", logger });
      await mine.done;
      await other.close();
    });

    test("jobs list newest first and filter by kind", async () => {
      const all = await listJobs(h.db, { limit: 100 });
      expect(all.length).toBeGreaterThan(3);
      for (let i = 1; i < all.length; i++)
        expect(all[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(all[i]!.createdAt.getTime());
      expect((await listJobs(h.db, { kind: "psa", limit: 100 })).every((j) => j.kind === "psa")).toBe(true);
    });

    test("settings read with defaults and round-trip", async () => {
      const initial = await readSettings(h.db, "scheduler");
      expect(initial.enabled).toBe(false);
      expect(initial.settings.jobs).toEqual(DEFAULT_SCHEDULES);
      const settings = schedulerSettingsSchema.parse({
        runOnStart: true,
        jobs: { tickets: { enabled: true, cron: "*/5 * * * *" } },
      });
      await writeSettings(h.db, "scheduler", { enabled: true, settings }, "admin");
      const read = await readSettings(h.db, "scheduler");
      expect(read.settings.runOnStart).toBe(true);
      expect(read.settings.jobs.tickets).toEqual({ enabled: true, cron: "*/5 * * * *" });
      expect(read.settings.jobs.psa).toEqual(DEFAULT_SCHEDULES.psa);
      expect(read.updatedBy).toBe("admin");
    });
  });
}

describe("scheduler", () => {
  test("computes next run times of a cron expression", () => {
    const from = new Date("2025-06-01T10:07:00Z");
    expect(nextRuns("*/10 * * * *", 3, from, "UTC").map((d) => d.toISOString())).toEqual([
      "2025-06-01T10:10:00.000Z",
      "2025-06-01T10:20:00.000Z",
      "2025-06-01T10:30:00.000Z",
    ]);
    expect(nextRuns("0 2 * * *", 1, from, "UTC")[0]!.toISOString()).toBe("2025-06-02T02:00:00.000Z");
    expect(cronProblem("0 2 * * *")).toBeNull();
    expect(cronProblem("not cron")).not.toBeNull();
  });

  test("runs due jobs through the trigger, shows next runs, skips disabled ones, and stops", async () => {
    const fired: string[] = [];
    const scheduler = new SyncScheduler(async (kind) => void fired.push(kind), logger);
    const settings = schedulerSettingsSchema.parse({
      jobs: { tickets: { enabled: true, cron: "* * * * * *" }, psa: { enabled: false, cron: "* * * * * *" } },
    });
    scheduler.apply(settings);
    const view = scheduler.view();
    expect(view.find((v) => v.kind === "tickets")!.nextRun).toBeInstanceOf(Date);
    expect(view.find((v) => v.kind === "psa")!.nextRun).toBeNull();
    await Bun.sleep(1_300);
    scheduler.stop();
    const count = fired.length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(new Set(fired)).toEqual(new Set(["tickets"]));
    await Bun.sleep(1_100);
    expect(fired.length).toBe(count);
  });

  test("run-on-start triggers every enabled job once; a bad expression is ignored, not fatal", async () => {
    const fired: string[] = [];
    const scheduler = new SyncScheduler(async (kind) => void fired.push(kind), logger);
    scheduler.apply(
      schedulerSettingsSchema.parse({
        runOnStart: true,
        jobs: { rmm: { enabled: true, cron: "0 3 * * *" }, agents: { enabled: true, cron: "bogus" } },
      }),
    );
    await scheduler.runEnabledNow();
    expect(fired.sort()).toEqual(["agents", "rmm"]);
    expect(scheduler.view().find((v) => v.kind === "agents")!.nextRun).toBeNull();
    scheduler.stop();
  });
});
