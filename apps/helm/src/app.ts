import { createBaseApp } from "@hivematrix/lib/app";
import { healthWithDatabase, requireDatabaseReady } from "@hivematrix/lib/db-health";
import type { HelmDeps } from "./context.ts";
import { configRoutes } from "./routes/config.tsx";
import { ingestRoutes } from "./routes/ingest.ts";
import { logRoutes } from "./routes/logs.tsx";
import { securityRoutes } from "./routes/security.tsx";
import { serviceRoutes } from "./routes/services.tsx";
import { staticRoutes } from "./routes/static.ts";
import { userRoutes } from "./routes/users.tsx";

export const VERSION = "1.0.0";

/**
 * Helm: operations. Routes, in order: health, the live tail's script, log ingest (services),
 * services and their control, users (the identity provider's), logs and the live tail,
 * security audit, configuration.
 * Everything but health, the script and ingest is for admins.
 */
export function createHelmApp(deps: HelmDeps) {
  const app = createBaseApp({
    logger: deps.logger,
    service: "helm",
    auth: deps.auth,
    metrics: deps.metrics,
    maxBodyBytes: 8 * 1024 * 1024,
  });
  app.use(requireDatabaseReady(deps.db));
  app.get("/health", (c) => healthWithDatabase(c, "helm", VERSION, deps.db));
  staticRoutes(app);
  ingestRoutes(app, deps);
  serviceRoutes(app, deps);
  userRoutes(app, deps);
  logRoutes(app, deps);
  securityRoutes(app, deps);
  configRoutes(app, deps);
  return app;
}
