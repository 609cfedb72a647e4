import { failInterruptedRuns, readSchedule } from "./backups/data.ts";
import { intervalTick, runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { Deps } from "./deps.ts";
import { cleanupLogs, storeLines } from "./logs/data.ts";
import { relayLiveTail } from "./logs/live-relay.ts";
import { metricPointsStore } from "./metrics/data.ts";

/**
 * What Helm does besides answering requests, once its database answers: storing its own log
 * lines, the log retention job, scraping every app's metrics and the backup schedule. `stop` ends it all (before the
 * database closes).
 */
export function startBackgroundWork(deps: Deps) {
  const { settings, logger } = deps;
  const points = metricPointsStore(deps.db);
  const cleanup = async () => {
    // Once per period across Helm's instances (the tick is claimed in the shared database).
    const tick = intervalTick(settings.cleanupIntervalMs);
    const outcome = await runScheduled(deps.db, "helm:retention", tick, () => cleanupOnce()).catch((e: unknown) =>
      logger.error("log retention could not run", { error: e }),
    );
    if (outcome && !outcome.ran) logger.debug(`log retention skipped: ${outcome.reason}`);
  };
  const cleanupOnce = async () => {
    try {
      const { expired, overCap } = await cleanupLogs(deps.db, settings);
      if (expired || overCap)
        logger.info("log retention: deleted old lines", {
          expired,
          over_cap: overCap,
          retention_days: settings.retentionDays,
          max_rows: settings.maxRows,
        });
    } catch (e) {
      logger.error("log retention cleanup failed", { error: e });
    }
    // Chart points older than twice the span the charts show are never read again.
    await points
      .trim(new Date(Date.now() - 2 * settings.metricsHistory * settings.scrapeIntervalMs))
      .catch((e: unknown) => logger.error("metrics point cleanup failed", { error: e }));
  };
  let cleanupTimer: ReturnType<typeof setInterval> | undefined;
  let stopRelay = async () => {};

  // Open live tails and output views would keep the server from closing: end them first (before serveApp's handler).
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.on(signal, () => {
      deps.live.closeAll();
      deps.followers.closeAll();
    });

  // A database that refuses for good ends the start in main.ts; nothing runs here then.
  deps.db.whenReady.then(
    async () => {
      stopRelay = relayLiveTail(deps.db, deps.live, logger);
      deps.ownLines?.attach((lines) => storeLines(deps.db, deps.live, lines));
      cleanupTimer = setInterval(cleanup, settings.cleanupIntervalMs);
      void cleanup();
      await startBackupSchedule(deps);
      await deps.scraper.start();
    },
    () => {},
  );

  return {
    async stop() {
      clearInterval(cleanupTimer);
      await deps.scraper.stop();
      deps.backups.scheduler.stop();
      await deps.ownLines?.flush();
      deps.ownLines?.stop();
      await stopRelay();
      await deps.db.close();
    },
  };
}

/** Backups cut short by Helm's last stop are recorded as failed; the saved schedule takes effect. */
async function startBackupSchedule(deps: Deps): Promise<void> {
  try {
    const interrupted = await failInterruptedRuns(deps.db);
    if (interrupted) deps.logger.warn(`${interrupted} backup(s) were cut short when Helm last stopped`);
    deps.backups.scheduler.apply((await readSchedule(deps.db))?.cron ?? null);
  } catch (e) {
    deps.logger.error("cannot start the backup schedule", { error: e });
  }
}
