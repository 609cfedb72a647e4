import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { RouteTable } from "@hivematrix/lib/route-table";
import type { Deps } from "../deps.ts";
import { syncApi } from "./api.ts";
import { dattoApi } from "./api-datto.ts";
import { psaApi } from "./api-psa.ts";
import { integrationsPages } from "./pages.tsx";
import { type Integrations, startIntegrations } from "./service.ts";
import { webhookRoutes } from "./webhook.ts";
import { writeBackApi } from "./writeback/api.ts";
import { writeBackPages } from "./writeback/pages.tsx";

/**
 * Codex's integrations in one place: this process's scheduler and runs, the sync, Datto and PSA
 * APIs, the settings pages, retrying a Freshservice write-back, and Freshservice's webhook (beside the table: it authenticates by its
 * shared secret, not a HiveMatrix token). Returns the runs' owner, which is stopped on shutdown.
 */
export function integrationsFeature(app: Hono<AppEnv>, routes: RouteTable, deps: Deps): Integrations {
  const integrations = startIntegrations(deps);
  syncApi(routes, deps, integrations);
  dattoApi(routes, integrations);
  psaApi(routes, deps);
  integrationsPages(routes, deps, integrations);
  writeBackApi(routes, deps, integrations);
  writeBackPages(routes, deps, integrations);
  webhookRoutes(app, integrations.ctx);
  return integrations;
}
