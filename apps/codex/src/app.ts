import { createBaseApp, healthPayload } from "@hivematrix/lib/app";
import type { CodexDeps } from "./context.ts";
import { RouteTable } from "./routes/registry.ts";
import { companyApi } from "./routes/api-companies.ts";
import { contactApi } from "./routes/api-contacts.ts";
import { assetApi } from "./routes/api-assets.ts";
import { ticketApi } from "./routes/api-tickets.ts";
import { agentApi } from "./routes/api-agents.ts";
import { planApi } from "./routes/api-plans.ts";
import { miscApi } from "./routes/api-misc.ts";
import { billingApi } from "./routes/api-billing.ts";
import { csvApi } from "./routes/api-csv.ts";
import { companyPages } from "./routes/pages-companies.tsx";
import { peoplePages } from "./routes/pages-people.tsx";
import { ticketPages } from "./routes/pages-tickets.tsx";
import { billingPages } from "./routes/pages-billing.tsx";
import { miscPages } from "./routes/pages-misc.tsx";
import { integrationRoutes } from "./integrations/routes.ts";
import { VERSION } from "./version.ts";

/**
 * Codex: the data platform. Every route is added through the RouteTable, which applies its
 * access rule and lists it for /api/openapi.json and the permission tests.
 */
export function createCodexApp(deps: CodexDeps) {
  const app = createBaseApp({ logger: deps.logger, service: "codex", auth: deps.auth, maxBodyBytes: 20 * 1024 * 1024 });
  app.get("/health", (c) => c.json(healthPayload("codex", VERSION, { database: deps.db.engine })));
  const routes = new RouteTable(app, deps);
  csvApi(routes, deps); // before /api/<kind>/:id, which would take export.csv as an id
  companyApi(routes, deps);
  contactApi(routes, deps);
  assetApi(routes, deps);
  ticketApi(routes, deps);
  agentApi(routes, deps);
  planApi(routes, deps);
  billingApi(routes, deps);
  miscApi(routes, deps);
  miscPages(routes, deps);
  companyPages(routes, deps);
  peoplePages(routes, deps);
  ticketPages(routes, deps);
  billingPages(routes, deps);
  const integrations = integrationRoutes(app, routes, deps);
  return Object.assign(app, { routeTable: routes, integrations });
}

export type CodexApp = ReturnType<typeof createCodexApp>;
