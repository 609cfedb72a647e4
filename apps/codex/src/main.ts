import { runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCodexApp } from "./app.ts";
import { openCodexDbWhenReachable } from "./db/open.ts";
import { reportDataRepairs } from "./data/repairs.ts";
import { loadRetentionSettings, startRetention } from "./data/retention.ts";
import { seedIfEmpty } from "./seed/seed.ts";

await runMain(async () => {
  const rt = createRuntime("codex");
  const retentionSettings = loadRetentionSettings();
  // Codex listens at once and answers 503 until its database answers, is migrated and seeded.
  const db = openCodexDbWhenReachable(rt.config, rt.logger, async (h) => {
    await reportDataRepairs(h, rt.logger);
    const seeded = await seedIfEmpty(h);
    if (seeded) rt.logger.info("empty database: added demo data", { ...seeded });
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
