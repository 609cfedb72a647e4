import { runMain } from "@hivematrix/lib/config";
import { serveApp } from "@hivematrix/lib/runtime";
import { createBrainhairApp } from "./app.ts";
import { relaySignals } from "./approvals/signals-relay.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { abandonTurns } from "./turns/data.ts";

await runMain(async () => {
  const deps = buildDeps(loadSettings());
  if (!deps.model) deps.logger.warn(`no Anthropic API key: set ANTHROPIC_API_KEY or write ${deps.settings.key.file}`);
  let stopRelay = async () => {};
  serveApp(deps, createBrainhairApp(deps).fetch, async () => {
    for (const turn of deps.turns.all()) turn.abort.abort();
    await stopRelay();
    await deps.db.close();
  });
  // It serves 503s while it waits for its database; a refusal waiting cannot cure ends the start here.
  await deps.db.whenReady;
  stopRelay = relaySignals(deps.db, deps.signals);
  // Turns marked running were this process's own only when it is Brainhair's one instance: with
  // several, they may be running on another.
  if (deps.config.self.instanceUrls.length > 1) return;
  const abandoned = await abandonTurns(deps.db);
  if (abandoned > 0) deps.logger.info("turns left running by the last process were marked failed", { abandoned });
});
