import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { platformKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { createMetrics } from "@hivematrix/lib/metrics";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createHelmApp } from "./app.ts";
import { supervisorClient } from "./control/supervisor-client.ts";
import { openHelmDbWhenReachable } from "./db/open.ts";
import { LiveTail } from "./logs/live.ts";
import { createLocalLogSink } from "./logs/local-sink.ts";
import { cleanupLogs, insertLines, type NewLogLine } from "./logs/store.ts";
import { metricPointsStore } from "./metrics/points-store.ts";
import { createScraper } from "./metrics/scraper.ts";
import { loadHelmSettings } from "./settings.ts";
import { platformHooks } from "./users/platform.ts";

await runMain(async () => {
  // Helm's own records go straight to its database, not over HTTP to itself.
  const local = createLocalLogSink("helm");
  const rt = createRuntime(loadAppConfig("helm"), process.env, { logSinks: [local.sink] });
  const settings = loadHelmSettings();
  // Helm listens at once and answers 503 until its database answers (its own lines wait in the sink).
  const db = openHelmDbWhenReachable(rt.config, rt.logger);
  const live = new LiveTail();
  const store = async (lines: NewLogLine[]) => {
    live.publish(await insertLines(db, lines));
  };

  const metrics = createMetrics("helm");
  const points = metricPointsStore(db);
  const scraper = createScraper({
    store: points,
    services: Object.keys(rt.config.services),
    intervalMs: settings.scrapeIntervalMs,
    history: settings.metricsHistory,
    logger: rt.logger,
    // Core issues no token from a service to itself, and Helm's own registry is right here.
    async fetchMetrics(service) {
      if (service === "helm") return metrics.render();
      const res = await rt.services.callService(service, "/metrics", { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`${service}/metrics answered ${res.status}`);
      return res.text();
    },
  });

  const app = createHelmApp({
    config: rt.config,
    env: process.env,
    settings,
    logger: rt.logger,
    auth: rt.auth,
    csrf: rt.csrf,
    db,
    metrics,
    live,
    scraper,
    supervisor: supervisorClient(rt.config.home),
    store,
    keycloak: platformKeycloakAdmin({ url: rt.config.idp.url, home: rt.config.home, env: process.env }),
    ...platformHooks(rt.config, rt.services),
  });

  const cleanup = async () => {
    try {
      const { expired, overCap } = await cleanupLogs(db, settings);
      if (expired || overCap)
        rt.logger.info("log retention: deleted old lines", {
          expired,
          over_cap: overCap,
          retention_days: settings.retentionDays,
          max_rows: settings.maxRows,
        });
    } catch (e) {
      rt.logger.error("log retention cleanup failed", { error: e });
    }
    // Chart points older than twice the span the charts show are never read again.
    await points
      .trim(new Date(Date.now() - 2 * settings.metricsHistory * settings.scrapeIntervalMs))
      .catch((e: unknown) => rt.logger.error("metrics point cleanup failed", { error: e }));
  };
  let cleanupTimer: ReturnType<typeof setInterval> | undefined;

  // Open live tails would keep the server from closing: end them first (this runs before serveApp's handler).
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => live.closeAll());
  serveApp(rt, app.fetch, async () => {
    clearInterval(cleanupTimer);
    scraper.stop();
    await local.flush();
    local.stop();
    await db.close();
  });

  await db.whenReady;
  local.attach(store);
  cleanupTimer = setInterval(cleanup, settings.cleanupIntervalMs);
  void cleanup();
  await scraper.start();
});
