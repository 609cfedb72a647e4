import { createBaseApp, healthPayload } from "@hivematrix/lib/app";
import type { CoreDeps } from "./context.ts";
import { jwksRoutes } from "./routes/jwks.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { serviceTokenRoutes } from "./routes/service-token.ts";
import { sessionRoutes } from "./routes/sessions.tsx";

export const VERSION = "1.0.0";

/** Core: identity for the platform. Routes, in order: health, keys, tokens, service tokens, sessions. */
export function createCoreApp(deps: CoreDeps) {
  const app = createBaseApp({ logger: deps.logger, service: "core", auth: deps.auth, maxBodyBytes: 64 * 1024 });
  app.get("/health", async (c) => {
    const keys = await deps.keys.jwks();
    return c.json(healthPayload("core", VERSION, { database: deps.db.engine, keys: keys.keys.length }));
  });
  jwksRoutes(app, deps);
  tokenRoutes(app, deps);
  serviceTokenRoutes(app, deps);
  sessionRoutes(app, deps);
  return app;
}
