import { runMain } from "@hivematrix/lib/config";
import { createDevIdpApp } from "./app.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { serveDevIdp, stopOnSignals } from "./serve.ts";

await runMain(async () => {
  const deps = await buildDeps(loadSettings());
  stopOnSignals(await serveDevIdp(deps, createDevIdpApp(deps)), deps);
});
