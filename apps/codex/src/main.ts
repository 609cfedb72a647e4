import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCodexApp } from "./app.ts";
import { openCodexDbWhenReachable } from "./db/open.ts";
import { reportDataRepairs } from "./data/repairs.ts";
import { loadRetentionSettings, startRetention } from "./data/retention.ts";
import { loadDemoSetting } from "./seed/demo-setting.ts";
import { demoOnFirstStart } from "./seed/first-start.ts";

await runMain(async () => {
  const rt = createRuntime(loadAppConfig("codex"));
  const demo = loadDemoSetting(rt.config);
  const retentionSettings = loadRetentionSettings();
  // Codex listens at once and answers 503 until its database answers, is migrated and seeded.
  const db = openCodexDbWhenReachable(rt.config, rt.logger, async (h) => {
    await reportDataRepairs(h, rt.logger);
    const first = await demoOnFirstStart(h, demo);
    if (first?.demo === "added") rt.logger.info("first start: added demo data", { ...first.summary });
    else if (first) rt.logger.info(`first start: no demo data (${first.reason})`);
  });
  const app = createCodexApp({ config: rt.config, db, logger: rt.logger, auth: rt.auth, csrf: rt.csrf });
  const retention = startRetention(db, retentionSettings, rt.logger);
  // Sync and billing runs finish (or are cut off) before the database closes, so their rows are final.
  serveApp(rt, app.fetch, async () => {
    retention.stop();
    await app.billing.stop();
    await app.integrations.stop();
    await db.close();
  });
  await db.whenReady;
});
