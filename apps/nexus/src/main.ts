import { runMain } from "@hivematrix/lib/config";
import { createNexus } from "./app.ts";
import { buildDeps, loadSettings } from "./deps.ts";
import { serveNexus } from "./serve.ts";
import { followRevocations } from "./sessions/revocation-feed.ts";

await runMain(() => {
  const deps = buildDeps(loadSettings());
  serveNexus(deps, createNexus(deps));
  followRevocations(deps.serviceClient, deps.logger, { ready: deps.forgetVerdicts, revoked: deps.forgetSession });
});
