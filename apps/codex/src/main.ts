import { runMain } from "@hivematrix/lib/config";
import { createRuntime, serveApp } from "@hivematrix/lib/runtime";
import { createCodexApp } from "./app.ts";
import { openCodexDb } from "./db/open.ts";

await runMain(async () => {
  const rt = createRuntime("codex");
  const db = await openCodexDb(rt.config);
  const app = createCodexApp({ config: rt.config, db, logger: rt.logger, auth: rt.auth, csrf: rt.csrf });
  serveApp(rt, app.fetch, () => db.close());
});
