import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCodexApp } from "./app.ts";
import { openCodexDb } from "./db/open.ts";
import { loadDemoSetting } from "./seed/demo-setting.ts";
import { demoOnFirstStart } from "./seed/first-start.ts";

await runMain(async () => {
  const rt = createRuntime(loadAppConfig("codex"));
  const demo = loadDemoSetting(rt.config);
  const db = await openCodexDb(rt.config);
  const first = await demoOnFirstStart(db, demo);
  if (first?.demo === "added") rt.logger.info("first start: added demo data", { ...first.summary });
  else if (first) rt.logger.info(`first start: no demo data (${first.reason})`);
  const app = createCodexApp({ config: rt.config, db, logger: rt.logger, auth: rt.auth, csrf: rt.csrf });
  // Sync and billing runs finish (or are cut off) before the database closes, so their rows are final.
  serveApp(rt, app.fetch, async () => {
    await app.billing.stop();
    await app.integrations.stop();
    await db.close();
  });
});
