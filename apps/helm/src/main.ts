import { runMain } from "@hivematrix/lib/config";
import { serveApp } from "@hivematrix/lib/runtime";
import { createHelmApp } from "./app.ts";
import { startBackgroundWork } from "./background.ts";
import { buildDeps, loadSettings } from "./deps.ts";

await runMain(async () => {
  const deps = buildDeps(loadSettings());
  const background = startBackgroundWork(deps);
  serveApp(deps, createHelmApp(deps).fetch, background.stop);
  // Helm serves 503s while it waits for its database; a refusal waiting cannot cure ends the start here.
  await deps.db.whenReady;
});
