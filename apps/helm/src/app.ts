import { createAppShell } from "@hivematrix/lib/app-shell";
import { configApi } from "./config/api.ts";
import { configPages } from "./config/pages.tsx";
import type { Deps } from "./deps.ts";
import { HelmLayout } from "./layout.tsx";
import { logsApi } from "./logs/api.ts";
import { logsPages } from "./logs/pages.tsx";
import { securityApi } from "./security/api.ts";
import { securityPages } from "./security/pages.tsx";
import { servicesApi } from "./services/api.ts";
import { servicesPages } from "./services/pages.tsx";
import { usersApi } from "./users/api.ts";
import { usersPages } from "./users/pages.tsx";

/**
 * Helm: operations — services and their control, users (the identity provider's), every app's
 * logs and the live tail, the security audit, configuration. For admins, but log ingestion
 * (services) and the live tail's script (anyone).
 */
export function createHelmApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "helm",
    title: "HiveMatrix Helm",
    description:
      "Operations: every service's state and its control, the identity provider's users, every app's logs" +
      " (ingested from each process, searchable, live), the security audit and the configuration in effect.",
    deps,
    layout: HelmLayout,
    metrics: deps.metrics,
    // Log batches from lib's shipper (up to 5,000 lines each) need more room than the default 1 MiB.
    maxBodyBytes: 8 * 1024 * 1024,
    db: deps.db,
  });
  servicesApi(routes, deps);
  servicesPages(routes, deps);
  usersApi(routes, deps);
  usersPages(routes, deps);
  logsApi(routes, deps);
  logsPages(routes, deps);
  securityApi(routes, deps);
  securityPages(routes, deps);
  configApi(routes, deps);
  configPages(routes, deps);
  return Object.assign(app, { routes });
}

export type HelmApp = ReturnType<typeof createHelmApp>;
