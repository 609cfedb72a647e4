import { createBaseApp } from "@hivematrix/lib/app";
import { healthWithDatabase, requireDatabaseReady } from "@hivematrix/lib/db-health";
import type { CodexDeps } from "./context.ts";
import { RouteTable } from "./routes/registry.ts";
import { companyApi } from "./routes/api-companies.ts";
import { contactApi } from "./routes/api-contacts.ts";
import { assetApi } from "./routes/api-assets.ts";
import { ticketApi } from "./routes/api-tickets.ts";
import { ticketBoardRoutes } from "./routes/ticket-board.tsx";
import { clearDataPages } from "./routes/clear-data.tsx";
import { agentApi } from "./routes/api-agents.ts";
import { planApi } from "./routes/api-plans.ts";
import { miscApi } from "./routes/api-misc.ts";
import { billingApi } from "./routes/api-billing.ts";
import { billingAutomationApi } from "./routes/api-billing-automation.ts";
import { billingCompanyApi } from "./routes/api-billing-company.ts";
import { BillingAutomation } from "./billing/automation.ts";
import { csvApi } from "./routes/api-csv.ts";
import { companyPages } from "./routes/pages-companies.tsx";
import { peoplePages } from "./routes/pages-people.tsx";
import { ticketPages } from "./routes/pages-tickets.tsx";
import { billingPages } from "./routes/pages-billing.tsx";
import { billingSettingsPages } from "./routes/pages-billing-settings.tsx";
import { billingArchivePages } from "./routes/pages-billing-archive.tsx";
import { billingAutomationPages } from "./routes/pages-billing-automation.tsx";
import { miscPages } from "./routes/pages-misc.tsx";
import { integrationRoutes } from "./integrations/routes.ts";
import { VERSION } from "./version.ts";

/**
 * Codex: the data platform. Every route is added through the RouteTable, which applies its
 * access rule and lists it for /api/openapi.json and the permission tests.
 */
export function createCodexApp(deps: CodexDeps) {
  const app = createBaseApp({ logger: deps.logger, service: "codex", auth: deps.auth, maxBodyBytes: 20 * 1024 * 1024 });
  app.use(requireDatabaseReady(deps.db));
  app.get("/health", (c) => healthWithDatabase(c, "codex", VERSION, deps.db));
  const routes = new RouteTable(app, deps);
  const billing = new BillingAutomation(deps.db, deps.logger);
  csvApi(routes, deps); // before /api/<kind>/:id, which would take export.csv as an id
  companyApi(routes, deps);
  contactApi(routes, deps);
  assetApi(routes, deps);
  ticketBoardRoutes(routes, deps); // before /api/tickets/:id and /tickets/:id
  ticketApi(routes, deps);
  agentApi(routes, deps);
  planApi(routes, deps);
  billingAutomationApi(routes, deps, billing); // before /api/billing/:acct
  billingApi(routes, deps);
  billingCompanyApi(routes, deps);
  miscApi(routes, deps);
  miscPages(routes, deps);
  clearDataPages(routes, deps);
  companyPages(routes, deps);
  peoplePages(routes, deps);
  ticketPages(routes, deps);
  billingPages(routes, deps, billing);
  billingSettingsPages(routes, deps);
  billingArchivePages(routes, deps);
  billingAutomationPages(routes, deps, billing);
  const integrations = integrationRoutes(app, routes, deps);
  // Arm the billing schedule once the database answers; a failure here must not stop Codex from serving.
  void deps.db.whenReady
    .then(() => billing.apply())
    .catch((e) => deps.logger.warn("billing schedule not armed", { error: e }));
  return Object.assign(app, { routeTable: routes, integrations, billing });
}

export type CodexApp = ReturnType<typeof createCodexApp>;
