import { runMain } from "@hivematrix/lib/config";
import { serveApp } from "@hivematrix/lib/runtime";
import { requestCap } from "@hivematrix/lib/uploads";
import { createCodexApp } from "./app.ts";
import { reportDataRepairs } from "./data/repairs.ts";
import { startRetention } from "./admin/retention.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { firstStart } from "./seed/first-start.ts";

await runMain(async () => {
  const settings = loadSettings();
  // Before the first request is served: what the migrations repaired, then a first start's demo data.
  const deps = buildDeps(settings, {
    startup: async (db, logger) => {
      await reportDataRepairs(db, logger);
      await firstStart(db, settings.demo, logger);
    },
  });
  const app = createCodexApp(deps);
  const retention = startRetention(deps.db, deps.settings.retention, deps.attachments, deps.logger);
  // Sync, billing and mail runs finish (or are cut off) before the database closes, so their rows are final.
  serveApp(
    deps,
    app.fetch,
    async () => {
      retention.stop();
      await app.billing.stop();
      await app.integrations.stop();
      await app.mail.stop();
      await deps.db.close();
    },
    { maxRequestBodyBytes: requestCap(deps.attachments.rule()) },
  );
  // Codex serves 503s while it waits for its database; a refusal waiting cannot cure ends the start here.
  await deps.db.whenReady;
});
