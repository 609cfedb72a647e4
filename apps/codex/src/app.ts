import { createAppShell } from "@hivematrix/lib/app-shell";
import { adminApi } from "./admin/api.ts";
import { adminPages } from "./admin/pages.tsx";
import { clearDataPages } from "./admin/pages-clear.tsx";
import { agentsApi } from "./agents/api.ts";
import { agentsPages } from "./agents/pages.tsx";
import { assetsApi } from "./assets/api.ts";
import { assetsPages } from "./assets/pages.tsx";
import { archiveApi } from "./billing/archive/api.ts";
import { archivePages } from "./billing/archive/pages.tsx";
import { automationApi } from "./billing/automation/api.ts";
import { automationPages } from "./billing/automation/pages.tsx";
import { BillingAutomation } from "./billing/automation/scheduler.ts";
import { billsApi } from "./billing/bills/api.ts";
import { billsPages } from "./billing/bills/pages.tsx";
import { manualApi } from "./billing/manual/api.ts";
import { overridesApi } from "./billing/overrides/api.ts";
import { lineItemsApi } from "./billing/overrides/api-line-items.ts";
import { plansApi } from "./billing/plans/api.ts";
import { featuresApi } from "./billing/plans/api-features.ts";
import { plansPages } from "./billing/plans/pages.tsx";
import { billingSettingsApi } from "./billing/settings/api.ts";
import { billingSettingsPages } from "./billing/settings/pages.tsx";
import { companiesApi } from "./companies/api.ts";
import { companyRecordsApi } from "./companies/api-related.ts";
import { companiesPages } from "./companies/pages.tsx";
import { contactsApi } from "./contacts/api.ts";
import { contactsPages } from "./contacts/pages.tsx";
import { csvApi } from "./csv/api.ts";
import { csvPages } from "./csv/pages.tsx";
import { dashboardPages } from "./dashboard/pages.tsx";
import type { Deps } from "./deps.ts";
import { integrationsFeature } from "./integrations/feature.ts";
import { CodexLayout } from "./layout.tsx";
import { locationsApi } from "./locations/api.ts";
import { mailFeature } from "./mail/feature.ts";
import { searchApi } from "./search/api.ts";
import { searchPages } from "./search/pages.tsx";
import { ticketBoardApi } from "./tickets/board/api.ts";
import { ticketBoardPages } from "./tickets/board/pages.tsx";
import { ticketsApi } from "./tickets/api.ts";
import { attachmentsApi } from "./tickets/attachments/api.ts";
import { ticketExportsApi } from "./tickets/exports/api.ts";
import { ticketsPages } from "./tickets/pages.tsx";
import { ticketNewPages } from "./tickets/pages-new.tsx";
import { ticketReplyPages } from "./tickets/pages-reply.tsx";

/** Codex: the data platform — companies, contacts, assets, tickets, agents and billing. Its routes: */
export function createCodexApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "codex",
    title: "HiveMatrix Codex",
    description:
      "Companies, contacts, assets, tickets, agents and billing. Send Authorization: Bearer <HiveMatrix JWT>.",
    deps,
    layout: CodexLayout,
    // CSV imports of a whole client base (attachments stream to disk under their own limit).
    maxBodyBytes: 20 * 1024 * 1024,
    db: deps.db,
    idempotency: deps.db,
  });
  // Fixed paths (export.csv, bulk, the board) before the `{acct}` and `{id}` they would otherwise be taken for.
  csvApi(routes, deps);
  csvPages(routes, deps);
  companyRecordsApi(routes, deps);
  companiesApi(routes, deps);
  companiesPages(routes, deps);
  locationsApi(routes, deps);
  contactsApi(routes, deps);
  contactsPages(routes, deps);
  assetsApi(routes, deps);
  assetsPages(routes, deps);
  searchApi(routes, deps);
  searchPages(routes, deps);
  const billing = new BillingAutomation(deps.db, deps.logger);
  plansApi(routes, deps);
  featuresApi(routes, deps);
  automationApi(routes, deps, billing); // before /api/billing/{acct}
  billsApi(routes, deps);
  archiveApi(routes, deps);
  overridesApi(routes, deps);
  lineItemsApi(routes, deps);
  billingSettingsApi(routes, deps);
  manualApi(routes, deps);
  billsPages(routes, deps, billing);
  billingSettingsPages(routes, deps);
  plansPages(routes, deps);
  archivePages(routes, deps);
  automationPages(routes, deps, billing);

  ticketBoardApi(routes, deps); // before /api/tickets/{id}, which would take `active` for an id
  ticketBoardPages(routes, deps); // before /tickets/{id}
  ticketExportsApi(routes, deps); // before /api/tickets/{id}, which would take `export.csv` for an id
  ticketNewPages(routes, deps); // before /tickets/{id}
  ticketsApi(routes, deps);
  attachmentsApi(routes, deps);
  ticketsPages(routes, deps);
  ticketReplyPages(routes, deps);
  agentsApi(routes, deps);
  agentsPages(routes, deps);
  dashboardPages(routes, deps);
  adminApi(routes, deps);
  adminPages(routes, deps);
  clearDataPages(routes, deps);
  const integrations = integrationsFeature(app, routes, deps);
  const mail = mailFeature(routes, deps);
  // Arm the billing schedule once the database answers; a failure here must not stop Codex from serving.
  void deps.db.whenReady
    .then(() => billing.apply())
    .catch((e) => deps.logger.warn("billing schedule not armed", { error: e }));
  // `routeTable`, not `routes`: Hono's own `app.routes` (what the app serves) stays for the tests that read it.
  return Object.assign(app, { routeTable: routes, integrations, billing, mail });
}

export type CodexApp = ReturnType<typeof createCodexApp>;
