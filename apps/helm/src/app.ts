import { createAppShell } from "@hivematrix/lib/app-shell";
import { backupsApi } from "./backups/api.ts";
import { backupsPages } from "./backups/pages.tsx";
import { configApi } from "./config/api.ts";
import { configPages } from "./config/pages.tsx";
import type { Deps } from "./deps.ts";
import { HelmLayout } from "./layout.tsx";
import { logsApi } from "./logs/api.ts";
import { logsPages } from "./logs/pages.tsx";
import { metricsApi } from "./metrics/api.ts";
import { metricsPages } from "./metrics/pages.tsx";
import { outputApi } from "./output/api.ts";
import { outputPages } from "./output/pages.tsx";
import { securityApi } from "./security/api.ts";
import { securityPages } from "./security/pages.tsx";
import { servicesApi } from "./services/api.ts";
import { servicesPages } from "./services/pages.tsx";
import { usersApi } from "./users/api.ts";
import { usersPages } from "./users/pages.tsx";

/**
 * Helm: operations — services and their control (one, or all in order) and raw output, metrics,
 * backups, users (the identity provider's), every app's logs and the live tail, the security
 * audit and Nexus's certificate, configuration. For admins, but log ingestion (services) and the
 * pages' scripts (anyone).
 */
export function createHelmApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "helm",
    title: "HiveMatrix Helm",
    description:
      "Operations: every service's state, its control and its raw output, every app's metrics, backups, the" +
      " identity provider's users, every app's logs (ingested from each process, searchable, live), the security" +
      " audit with Nexus's certificate, and the configuration in effect.",
    deps,
    layout: HelmLayout,
    metrics: deps.metrics,
    // Log batches from lib's shipper (up to 5,000 lines each) need more room than the default 1 MiB.
    maxBodyBytes: 8 * 1024 * 1024,
    db: deps.db,
  });
  servicesApi(routes, deps);
  servicesPages(routes, deps);
  outputApi(routes, deps);
  outputPages(routes, deps);
  metricsApi(routes, deps);
  metricsPages(routes, deps);
  backupsApi(routes, deps);
  backupsPages(routes, deps);
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
