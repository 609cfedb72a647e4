import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { createLogger } from "@hivematrix/lib/log";
import { createCoreApp } from "./app.ts";
import { buildCoreDeps, loadCoreSettings } from "./deps.ts";
import { purgeExpiredSessions } from "./sessions.ts";

await runMain(async () => {
  const config = loadAppConfig("core");
  const settings = loadCoreSettings();
  const logger = createLogger({ service: "core", level: config.logLevel });
  const deps = await buildCoreDeps(config, logger, settings);
  const app = createCoreApp(deps);
  const server = Bun.serve({ hostname: config.self.host, port: config.self.port, fetch: app.fetch });
  logger.info("core listening", { url: `http://${config.self.host}:${server.port}`, database: deps.db.engine });

  const purge = setInterval(async () => {
    try {
      const n = await purgeExpiredSessions(deps.db);
      if (n) logger.info("purged expired sessions", { count: n });
    } catch (e) {
      logger.error("session purge failed", { error: e });
    }
  }, settings.purgeIntervalMs);

  const stop = async () => {
    clearInterval(purge);
    await server.stop();
    await deps.db.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
});
