import { runMain } from "@hivematrix/lib/config";
import { serveApp } from "@hivematrix/lib/runtime";
import { createCoreApp } from "./app.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { startSessionPurge } from "./sessions/purge.ts";

await runMain(async () => {
  const deps = await buildDeps(loadSettings());
  const stopPurge = startSessionPurge(deps);
  serveApp(deps, createCoreApp(deps).fetch, async () => {
    stopPurge();
    await deps.db.close();
  });
  // Core serves 503s while it waits for its database; a refusal waiting cannot cure ends the start here.
  await deps.db.whenReady;
});
