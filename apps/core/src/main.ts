import { runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCoreApp } from "./app.ts";
import { buildCoreDeps, loadCoreSettings } from "./deps.ts";
import { purgeExpiredSessions } from "./sessions.ts";

await runMain(async () => {
  const rt = createRuntime("core");
  const settings = loadCoreSettings();
  const deps = await buildCoreDeps(rt.config, rt.logger, settings);
  const app = createCoreApp(deps);
  const purge = setInterval(async () => {
    if (!deps.db.ready) return;
    try {
      const n = await purgeExpiredSessions(deps.db);
      if (n) rt.logger.info("purged expired sessions", { count: n });
    } catch (e) {
      rt.logger.error("session purge failed", { error: e });
    }
  }, settings.purgeIntervalMs);
  serveApp(rt, app.fetch, async () => {
    clearInterval(purge);
    await deps.db.close();
  });
  await deps.db.whenReady;
});
