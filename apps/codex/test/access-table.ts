/**
 * Who may call each of Codex's routes, written out for a reviewer to read against
 * README's "Permissions" (admin: everything; technician: reads everything, writes companies,
 * contacts, assets and tickets; billing: reads everything, writes plans, features, overrides,
 * line items and accepts bills; client: reads its own company only, opens tickets for it, replies on and attaches to
 * its tickets and closes those it opened;
 * service tokens: every API but "my settings"; pages: people only). It is deliberately NOT read
 * from the route declarations: access-table.test.ts calls every route of the running app as
 * each caller and compares the answer with this table, so a route declared for the wrong
 * people fails there, and a route added without a row here fails too.
 *
 * One row per route: kind (api or page), method, path as served, the name of its rule, then who
 * gets past its guard: A admin, T technician, B billing, C client, S service token, N no token
 * at all; "." is refused (401/403). A client's answers are confined to its company by the
 * routes themselves (client-scope.test.ts). Not here: lib's /metrics and the Freshservice
 * webhook, which authenticates itself with its shared secret.
 */
export const ACCESS_TABLE = `
  # The platform's own
  api  GET    /health                                                    public   A T B C S N
  api  GET    /api/openapi.json                                          read     A T B C S .

  # CSV export and import of companies, contacts and assets
  api  GET    /api/companies/export.csv                                  read     A T B C S .
  api  POST   /api/companies/import                                      data     A T . . S .
  api  GET    /api/contacts/export.csv                                   read     A T B C S .
  api  POST   /api/contacts/import                                       data     A T . . S .
  api  GET    /api/assets/export.csv                                     read     A T B C S .
  api  POST   /api/assets/import                                         data     A T . . S .

  # Companies and their locations
  api  GET    /api/companies/bulk                                        read     A T B C S .
  api  GET    /api/companies/:acct/assets                                read     A T B C S .
  api  GET    /api/companies/:acct/contacts                              read     A T B C S .
  api  GET    /api/companies/:acct/users                                 read     A T B C S .
  api  GET    /api/companies/:acct/tickets                               read     A T B C S .
  api  GET    /api/companies                                             read     A T B C S .
  api  POST   /api/companies                                             data     A T . . S .
  api  POST   /api/companies/bulk                                        data     A T . . S .
  api  GET    /api/companies/:acct                                       read     A T B C S .
  api  PUT    /api/companies/:acct                                       data     A T . . S .
  api  DELETE /api/companies/:acct                                       admin    A . . . S .
  api  GET    /api/companies/:acct/locations                             read     A T B C S .
  api  POST   /api/companies/:acct/locations                             data     A T . . S .
  api  PUT    /api/companies/:acct/locations/:location_id                data     A T . . S .
  api  DELETE /api/companies/:acct/locations/:location_id                data     A T . . S .

  # Contacts
  api  GET    /api/contacts                                              read     A T B C S .
  api  POST   /api/contacts                                              data     A T . . S .
  api  POST   /api/contacts/bulk                                         data     A T . . S .
  api  GET    /api/contacts/:id                                          read     A T B C S .
  api  PUT    /api/contacts/:id                                          data     A T . . S .
  api  DELETE /api/contacts/:id                                          data     A T . . S .

  # Assets
  api  GET    /api/assets                                                read     A T B C S .
  api  POST   /api/assets                                                data     A T . . S .
  api  POST   /api/assets/bulk                                           data     A T . . S .
  api  GET    /api/assets/:id                                            read     A T B C S .
  api  PUT    /api/assets/:id                                            data     A T . . S .
  api  DELETE /api/assets/:id                                            data     A T . . S .

  # Search
  api  GET    /api/search                                                read     A T B C S .

  # Billing plans and the feature catalog
  api  GET    /api/billing-plans/export                                  admin    A . . . S .
  api  POST   /api/billing-plans/import                                  admin    A . . . S .
  api  POST   /api/billing-plans/:id/copy-terms                          billing  A . B . S .
  api  GET    /api/billing-plans                                         staff    A T B . S .
  api  POST   /api/billing-plans                                         billing  A . B . S .
  api  GET    /api/billing-plans/:id                                     staff    A T B . S .
  api  PUT    /api/billing-plans/:id                                     billing  A . B . S .
  api  DELETE /api/billing-plans/:id                                     billing  A . B . S .
  api  PUT    /api/billing-plans/:id/features                            billing  A . B . S .
  api  GET    /api/feature-options                                       staff    A T B . S .
  api  GET    /api/feature-categories                                    staff    A T B . S .
  api  POST   /api/feature-options                                       billing  A . B . S .
  api  DELETE /api/feature-options/:id                                   billing  A . B . S .
  api  POST   /api/feature-categories                                    billing  A . B . S .
  api  DELETE /api/feature-categories/:id                                billing  A . B . S .

  # Scheduled acceptance
  api  GET    /api/billing/schedule                                      admin    A . . . S .
  api  PUT    /api/billing/schedule                                      admin    A . . . S .
  api  GET    /api/billing/runs                                          staff    A T B . S .
  api  POST   /api/billing/accept-month                                  billing  A . B . S .

  # Bills: a month's, a company's, their files, acceptance
  api  GET    /api/billing                                               read     A T B C S .
  api  GET    /api/billing/export.csv                                    read     A T B C S .
  api  GET    /api/billing/invoices.zip                                  staff    A T B . S .
  api  GET    /api/billing/quickbooks.csv                                staff    A T B . S .
  api  GET    /api/billing/dashboard                                     staff    A T B . S .
  api  GET    /api/billing/:acct                                         read     A T B C S .
  api  GET    /api/billing/:acct/invoice.csv                             read     A T B C S .
  api  GET    /api/billing/:acct/quickbooks.csv                          staff    A T B . S .
  api  POST   /api/billing/:acct/accept                                  billing  A . B . S .

  # Accepted bills
  api  GET    /api/invoices                                              read     A T B C S .
  api  GET    /api/invoices/:invoice                                     read     A T B C S .
  api  GET    /api/invoices/:invoice/csv                                 read     A T B C S .

  # A company's billing: overrides, features, charges, devices and users added by hand
  api  GET    /api/companies/:acct/billing-overrides                     staff    A T B . S .
  api  PUT    /api/companies/:acct/billing-overrides                     billing  A . B . S .
  api  PUT    /api/assets/:id/billing-override                           billing  A . B . S .
  api  DELETE /api/assets/:id/billing-override                           billing  A . B . S .
  api  PUT    /api/companies/:acct/users/:contact_id/billing-override    billing  A . B . S .
  api  DELETE /api/companies/:acct/users/:contact_id/billing-override    billing  A . B . S .
  api  GET    /api/companies/:acct/features                              read     A T B C S .
  api  PUT    /api/companies/:acct/features                              billing  A . B . S .
  api  GET    /api/companies/:acct/line-items                            staff    A T B . S .
  api  POST   /api/companies/:acct/line-items                            billing  A . B . S .
  api  PUT    /api/companies/:acct/line-items/:item_id                   billing  A . B . S .
  api  DELETE /api/companies/:acct/line-items/:item_id                   billing  A . B . S .
  api  GET    /api/companies/:acct/billing-settings                      staff    A T B . S .
  api  GET    /api/companies/:acct/manual-assets                         staff    A T B . S .
  api  GET    /api/companies/:acct/manual-users                          staff    A T B . S .
  api  POST   /api/companies/:acct/manual-assets                         billing  A . B . S .
  api  POST   /api/companies/:acct/manual-users                          billing  A . B . S .
  api  PUT    /api/companies/:acct/manual-assets/:item_id                billing  A . B . S .
  api  PUT    /api/companies/:acct/manual-users/:item_id                 billing  A . B . S .
  api  DELETE /api/companies/:acct/manual-assets/:item_id                billing  A . B . S .
  api  DELETE /api/companies/:acct/manual-users/:item_id                 billing  A . B . S .

  # The ticket board
  api  GET    /api/tickets/active                                        staff    A T B . S .
  api  GET    /api/settings/ticket-board                                 staff    A T B . S .
  api  PUT    /api/settings/ticket-board                                 admin    A . . . S .

  # Tickets
  api  GET    /api/tickets                                               read     A T B C S .
  api  POST   /api/tickets                                               open     A T . C S .
  api  POST   /api/tickets/bulk                                          data     A T . . S .
  api  GET    /api/tickets/:id                                           read     A T B C S .
  api  GET    /api/ticket/:id                                            read     A T B C S .
  api  PUT    /api/tickets/:id                                           data     A T . . S .
  api  POST   /api/ticket/:id/update                                     data     A T . . S .
  api  DELETE /api/tickets/:id                                           admin    A . . . S .
  api  POST   /api/tickets/:id/replies                                   reply    A T . C S .
  api  POST   /api/tickets/:id/notes                                     data     A T . . S .
  api  POST   /api/tickets/:id/time-entries                              data     A T . . S .
  api  POST   /api/tickets/:id/close                                     close    A T . C S .
  api  GET    /api/tickets/export.csv                                    read     A T B C S .
  api  GET    /api/tickets/export.json                                   read     A T B C S .
  api  POST   /api/tickets/:id/attachments                               reply    A T . C S .
  api  GET    /api/tickets/:id/attachments                               read     A T B C S .
  api  GET    /api/tickets/:id/attachments/:attachment_id                read     A T B C S .
  api  POST   /api/tickets/:id/freshservice-writeback/:writeback_id/retry data     A T . . S .

  # Agents, and a person's own settings
  api  GET    /api/agents                                                staff    A T B . S .
  api  POST   /api/agents                                                admin    A . . . S .
  api  GET    /api/agents/:id                                            staff    A T B . S .
  api  PUT    /api/agents/:id                                            admin    A . . . S .
  api  PUT    /api/agents/:id/settings                                   admin    A . . . S .
  api  DELETE /api/agents/:id                                            admin    A . . . S .
  api  GET    /api/my/settings                                           self     A T B . . .
  api  PUT    /api/my/settings                                           self     A T B . . .

  # The audit log
  api  GET    /api/audit                                                 admin    A . . . S .

  # Email: the outbox (admins) and the triage list of emails from unknown senders
  api  GET    /api/mail/outbox                                           admin    A . . . S .
  api  POST   /api/mail/outbox/:id/retry                                 admin    A . . . S .
  api  GET    /api/mail/triage                                           staff    A T B . S .
  api  POST   /api/mail/triage/:id/assign                                data     A T . . S .
  api  POST   /api/mail/triage/:id/discard                               data     A T . . S .

  # Integrations: syncs, Datto, the PSA's links
  api  POST   /sync/psa                                                  admin    A . . . S .
  api  POST   /sync/tickets                                              data     A T . . S .
  api  POST   /sync/tickets/full-history                                 admin    A . . . S .
  api  POST   /sync/rmm                                                  admin    A . . . S .
  api  POST   /sync/create-account-numbers                               admin    A . . . S .
  api  GET    /sync/status/:job_id                                       staff    A T B . S .
  api  GET    /sync/last/:kind                                           staff    A T B . S .
  api  GET    /api/sync/jobs                                             staff    A T B . S .
  api  POST   /api/agents/sync                                           admin    A . . . S .
  api  GET    /api/datto/devices                                         staff    A T B . S .
  api  GET    /api/datto/device/:id                                      staff    A T B . S .
  api  POST   /api/datto/sites/:uid/link                                 admin    A . . . S .
  api  GET    /api/psa/config                                            staff    A T B . S .
  api  GET    /api/psa/agents                                            staff    A T B . S .

  # Pages: CSV import
  page GET    /import/:kind                                              data     A T . . . .
  page POST   /import/:kind                                              data     A T . . . .

  # Pages: companies, contacts, assets, search
  page GET    /companies                                                 read     A T B . . .
  page GET    /companies/new                                             data     A T . . . .
  page POST   /companies                                                 data     A T . . . .
  page GET    /companies/:acct                                           read     A T B C . .
  page GET    /companies/:acct/edit                                      data     A T . . . .
  page POST   /companies/:acct/edit                                      data     A T . . . .
  page POST   /companies/:acct/locations                                 data     A T . . . .
  page POST   /companies/:acct/locations/:location_id/delete             data     A T . . . .
  page GET    /contacts                                                  read     A T B C . .
  page GET    /contacts/new                                              data     A T . . . .
  page POST   /contacts                                                  data     A T . . . .
  page GET    /contacts/:id                                              read     A T B C . .
  page POST   /contacts/:id/assets                                       data     A T . . . .
  page POST   /contacts/:id/assets/:asset_id/remove                      data     A T . . . .
  page GET    /contacts/:id/edit                                         data     A T . . . .
  page POST   /contacts/:id/edit                                         data     A T . . . .
  page GET    /assets                                                    read     A T B C . .
  page GET    /assets/:id                                                read     A T B C . .
  page POST   /assets/:id/contacts                                       data     A T . . . .
  page POST   /assets/:id/contacts/:contact_id/remove                    data     A T . . . .
  page GET    /search                                                    read     A T B C . .

  # Pages: billing
  page GET    /billing                                                   staff    A T B . . .
  page POST   /billing/accept-month                                      billing  A . B . . .
  page GET    /companies/:acct/bill                                      read     A T B C . .
  page POST   /companies/:acct/bill/accept                               billing  A . B . . .
  page POST   /companies/:acct/line-items                                billing  A . B . . .
  page POST   /companies/:acct/line-items/:item_id/delete                billing  A . B . . .
  page GET    /companies/:acct/billing                                   staff    A T B . . .
  page POST   /companies/:acct/billing/rates                             billing  A . B . . .
  page POST   /companies/:acct/billing/assets                            billing  A . B . . .
  page POST   /companies/:acct/billing/users                             billing  A . B . . .
  page POST   /companies/:acct/billing/features                          billing  A . B . . .
  page POST   /companies/:acct/billing/manual-assets                     billing  A . B . . .
  page POST   /companies/:acct/billing/manual-assets/:item_id/delete     billing  A . B . . .
  page POST   /companies/:acct/billing/manual-users                      billing  A . B . . .
  page POST   /companies/:acct/billing/manual-users/:item_id/delete      billing  A . B . . .
  page GET    /billing/plans                                             staff    A T B . . .
  page POST   /billing/plans/import                                      admin    A . . . . .
  page POST   /billing/plans/:id/copy-terms                              billing  A . B . . .
  page GET    /billing/plans/new                                         billing  A . B . . .
  page POST   /billing/plans                                             billing  A . B . . .
  page GET    /billing/plans/:id                                         billing  A . B . . .
  page POST   /billing/plans/:id                                         billing  A . B . . .
  page POST   /billing/plans/:id/delete                                  billing  A . B . . .
  page POST   /billing/features/categories                               billing  A . B . . .
  page POST   /billing/features/options                                  billing  A . B . . .
  page GET    /billing/invoices                                          read     A T B C . .
  page GET    /billing/invoices/:invoice                                 read     A T B C . .
  page GET    /billing/automation                                        admin    A . . . . .
  page POST   /billing/automation                                        admin    A . . . . .
  page POST   /billing/automation/run                                    admin    A . . . . .

  # Pages: tickets and the board
  page GET    /tickets/board                                             staff    A T B . . .
  page GET    /admin/ticket-board                                        admin    A . . . . .
  page POST   /admin/ticket-board                                        admin    A . . . . .
  page GET    /tickets                                                   read     A T B C . .
  page GET    /tickets/new                                               open     A T . C . .
  page POST   /tickets                                                   open     A T . C . .
  page GET    /tickets/:id                                               read     A T B C . .
  page POST   /tickets/:id/reply                                         reply    A T . C . .
  page POST   /tickets/:id/note                                          data     A T . . . .
  page POST   /tickets/:id/update                                        data     A T . . . .
  page POST   /tickets/:id/time                                          data     A T . . . .
  page POST   /tickets/:id/close                                         close    A T . C . .
  page POST   /tickets/:id/freshservice-writeback/:writeback_id/retry    data     A T . . . .

  # Pages: agents, my settings, the dashboard
  page GET    /agents                                                    staff    A T B . . .
  page GET    /settings                                                  self     A T B . . .
  page POST   /settings                                                  self     A T B . . .
  page GET    /                                                          read     A T B C . .

  # Pages: admin
  page GET    /admin                                                     admin    A . . . . .
  page GET    /admin/clear-data                                          admin    A . . . . .
  page POST   /admin/clear-data                                          admin    A . . . . .
  page GET    /admin/integrations                                        admin    A . . . . .
  page POST   /admin/integrations/freshservice                           admin    A . . . . .
  page POST   /admin/integrations/datto                                  admin    A . . . . .
  page POST   /admin/integrations/webhooks                               admin    A . . . . .
  page POST   /admin/integrations/schedule                               admin    A . . . . .
  page POST   /admin/integrations/test/:provider                         admin    A . . . . .
  page POST   /admin/integrations/run/:kind                              admin    A . . . . .
  page POST   /admin/integrations/account-numbers                        admin    A . . . . .
  page POST   /admin/integrations/link-site                              admin    A . . . . .
  page GET    /admin/mail                                                admin    A . . . . .
  page POST   /admin/mail/outbox/:id/retry                               admin    A . . . . .

  # Pages: email triage
  page GET    /mail/triage                                               staff    A T B . . .
  page POST   /mail/triage/:id/assign                                    data     A T . . . .
  page POST   /mail/triage/:id/discard                                   data     A T . . . .
`;

export const CALLERS = ["admin", "technician", "billing", "client", "service", null] as const;
export type TableCaller = (typeof CALLERS)[number];

export interface AccessRow {
  kind: "api" | "page";
  method: string;
  /** As Hono serves it: `/api/companies/:acct`. */
  path: string;
  rule: string;
  admits: Record<string, boolean>;
}

const LETTERS = ["A", "T", "B", "C", "S", "N"];

/** The table's rows; a row that does not read as one (a typo in a letter) throws. */
export function accessRows(): AccessRow[] {
  return ACCESS_TABLE.split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [kind, method, path, rule, ...who] = line.split(/\s+/);
      if ((kind !== "api" && kind !== "page") || !method || !path || !rule || who.length !== LETTERS.length)
        throw new Error(`access table: cannot read ${JSON.stringify(line)}`);
      const admits: Record<string, boolean> = {};
      who.forEach((letter, at) => {
        if (letter !== LETTERS[at] && letter !== ".") throw new Error(`access table: ${letter} in ${line}`);
        admits[String(CALLERS[at])] = letter !== ".";
      });
      return { kind, method, path, rule, admits };
    });
}
