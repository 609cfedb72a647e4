import { runMain } from "@hivematrix/lib/config";
import { channel } from "@hivematrix/lib/pg-channel";
import { serveApp } from "@hivematrix/lib/runtime";
import { createCoreApp } from "./app.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { startSessionPurge } from "./sessions/purge.ts";

await runMain(async () => {
  const deps = await buildDeps(loadSettings());
  const stopPurge = startSessionPurge(deps);
  const revoked = channel<{ session: string }>(deps.db, "core_revocations");
  serveApp(deps, createCoreApp(deps).fetch, async () => {
    stopPurge();
    await revoked.close();
    await deps.db.close();
  });
  // Core serves 503s while it waits for its database; a refusal waiting cannot cure ends the start here.
  await deps.db.whenReady;
  // Every Core instance tells its own feed readers (each Nexus process follows one of them).
  if (deps.db.engine === "postgres") deps.revocations.shareThrough(revoked);
});
