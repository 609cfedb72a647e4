import { createBaseApp } from "@hivematrix/lib/app";
import { healthWithDatabase, requireDatabaseReady } from "@hivematrix/lib/db-health";
import type { CoreDeps } from "./context.ts";
import { jwksRoutes } from "./routes/jwks.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { serviceTokenRoutes } from "./routes/service-token.ts";
import { sessionRoutes } from "./routes/sessions.tsx";

export const VERSION = "1.0.0";

/** Core: identity for the platform. Routes, in order: health, keys, tokens, service tokens, sessions. */
export function createCoreApp(deps: CoreDeps) {
  const app = createBaseApp({ logger: deps.logger, service: "core", auth: deps.auth, maxBodyBytes: 64 * 1024 });
  app.use(requireDatabaseReady(deps.db));
  app.get("/health", async (c) => {
    const keys = await deps.keys.jwks();
    return healthWithDatabase(c, "core", VERSION, deps.db, { keys: keys.keys.length });
  });
  jwksRoutes(app, deps);
  tokenRoutes(app, deps);
  serviceTokenRoutes(app, deps);
  sessionRoutes(app, deps);
  return app;
}
