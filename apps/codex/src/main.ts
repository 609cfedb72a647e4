import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCodexApp } from "./app.ts";
import { openCodexDb } from "./db/open.ts";
import { seedIfEmpty } from "./seed/seed.ts";

await runMain(async () => {
  const rt = createRuntime(loadAppConfig("codex"));
  const db = await openCodexDb(rt.config);
  const seeded = await seedIfEmpty(db);
  if (seeded) rt.logger.info("empty database: added demo data", { ...seeded });
  const app = createCodexApp({ config: rt.config, db, logger: rt.logger, auth: rt.auth, csrf: rt.csrf });
  // Sync and billing runs finish (or are cut off) before the database closes, so their rows are final.
  serveApp(rt, app.fetch, async () => {
    await app.billing.stop();
    await app.integrations.stop();
    await db.close();
  });
});
