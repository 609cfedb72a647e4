/**
 * Codex's data model: one pg-core schema; lib/db derives the SQLite twin. Migrations for both
 * engines live in ./migrations (`bun run db:generate <name>` in apps/codex), plus the custom
 * full-text search migrations (FTS5 tables and triggers on SQLite, GIN indexes on Postgres).
 *
 * For integrations (sync jobs, webhooks): write companies, contacts, assets, tickets, ticket
 * conversations, time entries, agents and RMM site links ONLY through the functions of the
 * features' data modules (e.g. `upsertCompanies(db, rows, actor)` in src/companies/data.ts).
 * They validate, match on (external_source, external_id), write the audit log and keep the
 * search index right; each returns per-row results. `sync_jobs` and `integration_settings` are plain tables
 * the integration code owns the rows of (src/integrations/sync/jobs.ts reads and writes them).
 *
 * Conventions: money is integer cents (`*_cents`), durations integer minutes, storage integer
 * bytes; timestamps are `Date`s; enums are checked by the API's zod schemas and the column types.
 */
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const created = () =>
  ts("created_at")
    .notNull()
    .$defaultFn(() => new Date());
const updated = () =>
  ts("updated_at")
    .notNull()
    .$defaultFn(() => new Date());
const cents = (name: string) => integer(name);

export const COMPLIANCE_LEVELS = ["standard", "hipaa", "cjis"] as const;
export const CONTRACT_TERMS = ["month_to_month", "1_year", "2_year", "3_year"] as const;
export const ASSET_TYPES = ["workstation", "server", "vm", "switch", "firewall", "other"] as const;
export const TICKET_STATUSES = [
  "open",
  "pending",
  "resolved",
  "closed",
  "scheduled",
  "waiting_customer",
  "waiting_third_party",
  "under_investigation",
  "job_complete_bill",
  "billing_complete",
  "update_needed",
  "on_hold",
  "customer_replied",
] as const;
/** Statuses after which a ticket counts as closed (dashboard, "opened vs closed"). */
export const CLOSED_STATUSES = ["resolved", "closed", "job_complete_bill", "billing_complete"] as const;
export const TICKET_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export const ENTRY_KINDS = ["reply", "note"] as const;
export const THEMES = ["system", "light", "dark"] as const;
export const HOME_PAGES = ["nexus", "codex", "helm", "brainhair"] as const;
export const SYNC_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export const LINE_ITEM_KINDS = ["monthly", "one_off", "yearly"] as const;
export const ASSET_BILLING_TYPES = [
  "workstation",
  "server",
  "vm",
  "switch",
  "firewall",
  "no_charge",
  "custom",
] as const;
export const USER_BILLING_TYPES = ["paid", "free", "custom"] as const;
export const AUDIT_ACTIONS = ["create", "update", "delete"] as const;
export const BILLING_RUN_STATUSES = ["running", "succeeded", "failed"] as const;
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed"] as const;
/** What a notification is about. */
export const OUTBOX_EVENTS = ["created", "reply", "status", "assigned", "client_reply"] as const;
/**
 * What became of an inbound message: a new ticket, a reply on one, held for triage (then assigned
 * to a company or discarded), ignored (an auto-reply or our own mail), or a copy of one already read.
 */
export const INBOUND_OUTCOMES = ["ticket", "reply", "triage", "assigned", "discarded", "ignored", "duplicate"] as const;
/** What a Freshservice write-back sends: a public reply, a note, or a change of status, priority or assignee. */
export const WRITEBACK_KINDS = ["reply", "note", "update"] as const;
export const WRITEBACK_STATES = ["pending", "sending", "sent", "failed"] as const;

/** External identity of a synced record: unique per source, null for records made in Codex. */
const external = () => ({ externalId: text("external_id"), externalSource: text("external_source") });

export const billingPlans = pgTable(
  "billing_plans",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    term: text("term", { enum: CONTRACT_TERMS }).notNull(),
    supportLevel: text("support_level")
      .notNull()
      .$defaultFn(() => "Billed Hourly"),
    perUserCents: cents("per_user_cents").notNull(),
    perWorkstationCents: cents("per_workstation_cents").notNull(),
    perServerCents: cents("per_server_cents").notNull(),
    perVmCents: cents("per_vm_cents").notNull(),
    perSwitchCents: cents("per_switch_cents").notNull(),
    perFirewallCents: cents("per_firewall_cents").notNull(),
    perHourCents: cents("per_hour_cents").notNull(),
    prepaidMinutesMonthly: integer("prepaid_minutes_monthly").notNull(),
    prepaidMinutesYearly: integer("prepaid_minutes_yearly").notNull(),
    backupBaseWorkstationCents: cents("backup_base_workstation_cents").notNull(),
    backupBaseServerCents: cents("backup_base_server_cents").notNull(),
    /** TB of backup included per backed-up asset. */
    backupIncludedTb: integer("backup_included_tb").notNull(),
    backupPerTbCents: cents("backup_per_tb_cents").notNull(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [uniqueIndex("billing_plans_name_term_uq").on(t.name, t.term)],
);

export const companies = pgTable(
  "companies",
  {
    id: serial("id").primaryKey(),
    accountNumber: text("account_number").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    domain: text("domain"),
    domains: jsonb("domains")
      .$type<string[]>()
      .notNull()
      .$defaultFn(() => []),
    billingPlanId: integer("billing_plan_id").references(() => billingPlans.id, { onDelete: "restrict" }),
    contractTerm: text("contract_term", { enum: CONTRACT_TERMS }),
    contractStart: text("contract_start"),
    contractEnd: text("contract_end"),
    complianceLevel: text("compliance_level", { enum: COMPLIANCE_LEVELS })
      .notNull()
      .$defaultFn(() => "standard"),
    phone: text("phone"),
    address: text("address"),
    notes: text("notes"),
    emailSystem: text("email_system"),
    phoneSystem: text("phone_system"),
    headName: text("head_name"),
    primeUserName: text("prime_user_name"),
    rmmPortalUrl: text("rmm_portal_url"),
    /** Set by a complete PSA sync that no longer found the company; cleared when it reappears. */
    staleSince: ts("stale_since"),
    ...external(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("companies_account_number_uq").on(t.accountNumber),
    uniqueIndex("companies_external_uq").on(t.externalSource, t.externalId),
    index("companies_name_idx").on(t.name, t.id),
    index("companies_updated_idx").on(t.updatedAt, t.id),
  ],
);

export const locations = pgTable(
  "locations",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    address: text("address"),
    phone: text("phone"),
    ...external(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index("locations_company_idx").on(t.companyId),
    uniqueIndex("locations_external_uq").on(t.externalSource, t.externalId),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    email: text("email"),
    secondaryEmails: jsonb("secondary_emails")
      .$type<string[]>()
      .notNull()
      .$defaultFn(() => []),
    jobTitle: text("job_title"),
    mobilePhone: text("mobile_phone"),
    workPhone: text("work_phone"),
    address: text("address"),
    timeZone: text("time_zone"),
    notes: text("notes"),
    active: boolean("active")
      .notNull()
      .$defaultFn(() => true),
    vip: boolean("vip")
      .notNull()
      .$defaultFn(() => false),
    /** False: this person gets no ticket emails (their opt-out). */
    emailNotifications: boolean("email_notifications").notNull().default(true),
    ...external(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("contacts_email_uq").on(t.email),
    uniqueIndex("contacts_external_uq").on(t.externalSource, t.externalId),
    index("contacts_name_idx").on(t.name, t.id),
    index("contacts_updated_idx").on(t.updatedAt, t.id),
  ],
);

/** A contact may belong to several companies. */
export const contactCompanies = pgTable(
  "contact_companies",
  {
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.companyId] }),
    index("contact_companies_company_idx").on(t.companyId, t.contactId),
  ],
);

export const assets = pgTable(
  "assets",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    locationId: integer("location_id").references(() => locations.id, { onDelete: "set null" }),
    hostname: text("hostname").notNull(),
    /** What the asset is billed as unless a billing override says otherwise. */
    assetType: text("asset_type", { enum: ASSET_TYPES }).notNull(),
    hardwareType: text("hardware_type"),
    deviceType: text("device_type"),
    manufacturer: text("manufacturer"),
    model: text("model"),
    serialNumber: text("serial_number"),
    operatingSystem: text("operating_system"),
    description: text("description"),
    lastLoggedInUser: text("last_logged_in_user"),
    rmmSiteName: text("rmm_site_name"),
    antivirusProduct: text("antivirus_product"),
    patchStatus: text("patch_status"),
    internalIp: text("internal_ip"),
    externalIp: text("external_ip"),
    domain: text("domain"),
    portalUrl: text("portal_url"),
    webRemoteUrl: text("web_remote_url"),
    online: boolean("online")
      .notNull()
      .$defaultFn(() => false),
    lastSeenAt: ts("last_seen_at"),
    lastRebootAt: ts("last_reboot_at"),
    lastAuditAt: ts("last_audit_at"),
    backedUp: boolean("backed_up")
      .notNull()
      .$defaultFn(() => false),
    backupBytes: bigint("backup_bytes", { mode: "number" })
      .notNull()
      .$defaultFn(() => 0),
    customFields: jsonb("custom_fields")
      .$type<Record<string, string>>()
      .notNull()
      .$defaultFn(() => ({})),
    /** Set by a complete RMM sync that no longer found the device; stale assets are not billed. */
    staleSince: ts("stale_since"),
    ...external(),
    createdAt: created(),
    updatedAt: updated(),
  },
  // Also unique, by a custom migration (a partial index): company + hostname among assets
  // without an external id, which are matched by it (synced devices may share a hostname).
  (t) => [
    uniqueIndex("assets_external_uq").on(t.externalSource, t.externalId),
    index("assets_company_hostname_idx").on(t.companyId, t.hostname, t.id),
    index("assets_hostname_idx").on(t.hostname, t.id),
    index("assets_type_idx").on(t.assetType, t.hostname, t.id),
    index("assets_updated_idx").on(t.updatedAt, t.id),
  ],
);

export const assetContacts = pgTable(
  "asset_contacts",
  {
    assetId: integer("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.contactId] }), index("asset_contacts_contact_idx").on(t.contactId)],
);

export const agents = pgTable(
  "agents",
  {
    id: serial("id").primaryKey(),
    /** The IdP (Keycloak) user id; null for PSA agents without a HiveMatrix login. */
    idpUserId: text("idp_user_id"),
    username: text("username"),
    email: text("email").notNull(),
    name: text("name").notNull(),
    enabled: boolean("enabled")
      .notNull()
      .$defaultFn(() => true),
    theme: text("theme", { enum: THEMES })
      .notNull()
      .$defaultFn(() => "system"),
    homePage: text("home_page", { enum: HOME_PAGES })
      .notNull()
      .$defaultFn(() => "nexus"),
    /** False: this agent gets no ticket emails (My settings). */
    emailNotifications: boolean("email_notifications").notNull().default(true),
    ...external(),
    lastSyncedAt: ts("last_synced_at"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("agents_idp_user_uq").on(t.idpUserId),
    uniqueIndex("agents_username_uq").on(t.username),
    uniqueIndex("agents_email_uq").on(t.email),
    uniqueIndex("agents_external_uq").on(t.externalSource, t.externalId),
  ],
);

export const tickets = pgTable(
  "tickets",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    ticketNumber: text("ticket_number"),
    subject: text("subject").notNull(),
    description: text("description")
      .notNull()
      .$defaultFn(() => ""),
    status: text("status", { enum: TICKET_STATUSES }).notNull(),
    priority: text("priority", { enum: TICKET_PRIORITIES }).notNull(),
    /** The PSA's own ids, kept beside the normalised names above. */
    statusId: integer("status_id"),
    priorityId: integer("priority_id"),
    ticketType: text("ticket_type"),
    requesterId: integer("requester_id").references(() => contacts.id, { onDelete: "set null" }),
    requesterName: text("requester_name"),
    requesterEmail: text("requester_email"),
    assigneeId: integer("assignee_id").references(() => agents.id, { onDelete: "set null" }),
    groupName: text("group_name"),
    firstResponseDueAt: ts("first_response_due_at"),
    dueAt: ts("due_at"),
    firstRespondedAt: ts("first_responded_at"),
    /** The MSP's latest public reply (Freshservice's agent_responded_at); the ticket board's "last update". */
    agentRespondedAt: ts("agent_responded_at"),
    closedAt: ts("closed_at"),
    /** Sum of the ticket's time entries, kept by src/tickets/data-entries.ts. */
    totalMinutes: integer("total_minutes")
      .notNull()
      .$defaultFn(() => 0),
    /** Who opened it in HiveMatrix (the IdP's user id, name, email); null for synced tickets and services. */
    openedById: text("opened_by_id"),
    openedByName: text("opened_by_name"),
    openedByEmail: text("opened_by_email"),
    ...external(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("tickets_external_uq").on(t.externalSource, t.externalId),
    index("tickets_company_updated_idx").on(t.companyId, t.updatedAt, t.id),
    index("tickets_status_updated_idx").on(t.status, t.updatedAt, t.id),
    index("tickets_updated_idx").on(t.updatedAt, t.id),
    index("tickets_created_idx").on(t.createdAt, t.id),
    index("tickets_closed_idx").on(t.closedAt),
    index("tickets_assignee_idx").on(t.assigneeId),
    // The ticket board reads these columns of every active ticket: from the index alone, not 1M table rows.
    index("tickets_board_idx").on(
      t.status,
      t.priority,
      t.createdAt,
      t.firstRespondedAt,
      t.agentRespondedAt,
      t.assigneeId,
      t.groupName,
      t.id,
    ),
  ],
);

/** The conversation of a ticket: public replies and private notes, one row each. */
export const ticketEntries = pgTable(
  "ticket_entries",
  {
    id: serial("id").primaryKey(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ENTRY_KINDS }).notNull(),
    body: text("body").notNull(),
    authorName: text("author_name").notNull(),
    authorEmail: text("author_email"),
    /** True when the entry came from the requester's side (email in, client reply). */
    incoming: boolean("incoming")
      .notNull()
      .$defaultFn(() => false),
    ...external(),
    createdAt: created(),
  },
  (t) => [
    index("ticket_entries_ticket_idx").on(t.ticketId, t.createdAt),
    uniqueIndex("ticket_entries_external_uq").on(t.externalSource, t.externalId),
  ],
);

/**
 * Files attached to a ticket, or to one of its replies. The bytes live in
 * HIVEMATRIX_HOME/data/attachments/ under `storage_key` (random, never the sender's name); the row
 * holds the cleaned-up name to show and the type sniffed from the bytes.
 */
export const ticketAttachments = pgTable(
  "ticket_attachments",
  {
    id: serial("id").primaryKey(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    /** The reply it came with; null when attached to the ticket itself. */
    entryId: integer("entry_id").references(() => ticketEntries.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    /** The uploader: the IdP's user id (or `service:<name>`), and the name to show. */
    uploadedById: text("uploaded_by_id").notNull(),
    uploadedByName: text("uploaded_by_name").notNull(),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("ticket_attachments_storage_uq").on(t.storageKey),
    index("ticket_attachments_ticket_idx").on(t.ticketId, t.id),
    index("ticket_attachments_entry_idx").on(t.entryId),
  ],
);

/** Time logged on a ticket; billing counts it in the month it was logged. */
export const ticketTimeEntries = pgTable(
  "ticket_time_entries",
  {
    id: serial("id").primaryKey(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    minutes: integer("minutes").notNull(),
    loggedAt: ts("logged_at").notNull(),
    agentName: text("agent_name"),
    note: text("note"),
    billable: boolean("billable")
      .notNull()
      .$defaultFn(() => true),
    ...external(),
    createdAt: created(),
  },
  (t) => [
    index("ticket_time_company_logged_idx").on(t.companyId, t.loggedAt),
    index("ticket_time_ticket_idx").on(t.ticketId),
    uniqueIndex("ticket_time_external_uq").on(t.externalSource, t.externalId),
  ],
);

/**
 * Changes made in Codex to tickets that came from Freshservice, waiting to be sent there (the
 * write-back queue). Enqueued in the transaction of the change; sent in id order per ticket by
 * src/integrations/writeback/worker.ts, which claims one row at a time (`sending`, with a lease).
 */
export const freshserviceWritebacks = pgTable(
  "freshservice_writebacks",
  {
    id: serial("id").primaryKey(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    /** The reply or note sent (null for an update). */
    entryId: integer("entry_id").references(() => ticketEntries.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: WRITEBACK_KINDS }).notNull(),
    /** What to send, in Codex's terms (status names, agent ids); mapped to Freshservice's when sent. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: text("state", { enum: WRITEBACK_STATES }).notNull(),
    attempts: integer("attempts")
      .notNull()
      .$defaultFn(() => 0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    /** A `sending` row whose lease has run out belongs to a worker that stopped; another may take it. */
    claimedUntil: ts("claimed_until"),
    claimedBy: text("claimed_by"),
    /** An attempt ended without a clear answer (timeout, 5xx): a reply may have been created anyway. */
    uncertain: boolean("uncertain")
      .notNull()
      .$defaultFn(() => false),
    lastError: text("last_error"),
    lastStatus: integer("last_status"),
    /** The conversation Freshservice created (replies and notes). */
    externalId: text("external_id"),
    actor: text("actor").notNull(),
    createdAt: created(),
    updatedAt: updated(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("freshservice_writebacks_due_idx").on(t.state, t.nextAttemptAt, t.id),
    index("freshservice_writebacks_ticket_idx").on(t.ticketId, t.id),
  ],
);

export const syncJobs = pgTable(
  "sync_jobs",
  {
    id: text("id").primaryKey(),
    /** What is synced: companies, contacts, tickets, assets, agents, … */
    kind: text("kind").notNull(),
    provider: text("provider").notNull(),
    status: text("status", { enum: SYNC_STATUSES }).notNull(),
    triggeredBy: text("triggered_by"),
    createdAt: created(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    counts: jsonb("counts")
      .$type<Record<string, number>>()
      .notNull()
      .$defaultFn(() => ({})),
    output: text("output"),
    error: text("error"),
  },
  (t) => [index("sync_jobs_kind_idx").on(t.kind, t.provider, t.createdAt), index("sync_jobs_status_idx").on(t.status)],
);

export const rmmSiteLinks = pgTable(
  "rmm_site_links",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    siteUid: text("site_uid").notNull(),
    siteName: text("site_name"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("rmm_site_links_uq").on(t.provider, t.siteUid),
    index("rmm_site_links_company_idx").on(t.companyId),
  ],
);

/** Non-secret settings per integration; API keys live in HIVEMATRIX_HOME/secrets, never here. */
export const integrationSettings = pgTable("integration_settings", {
  provider: text("provider").primaryKey(),
  enabled: boolean("enabled")
    .notNull()
    .$defaultFn(() => false),
  settings: jsonb("settings")
    .$type<Record<string, unknown>>()
    .notNull()
    .$defaultFn(() => ({})),
  updatedBy: text("updated_by"),
  updatedAt: updated(),
});

/** Codex-wide settings edited by admins (e.g. the ticket board's SLA thresholds), one JSON value per key. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by"),
  updatedAt: updated(),
});

export const featureCategories = pgTable(
  "feature_categories",
  {
    id: serial("id").primaryKey(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: created(),
  },
  (t) => [uniqueIndex("feature_categories_key_uq").on(t.key)],
);

export const featureOptions = pgTable(
  "feature_options",
  {
    id: serial("id").primaryKey(),
    categoryId: integer("category_id")
      .notNull()
      .references(() => featureCategories.id, { onDelete: "cascade" }),
    value: text("value").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    createdAt: created(),
  },
  (t) => [uniqueIndex("feature_options_category_value_uq").on(t.categoryId, t.value)],
);

/** The option a plan includes for each feature category. */
export const planFeatures = pgTable(
  "plan_features",
  {
    planId: integer("plan_id")
      .notNull()
      .references(() => billingPlans.id, { onDelete: "cascade" }),
    categoryId: integer("category_id")
      .notNull()
      .references(() => featureCategories.id, { onDelete: "cascade" }),
    optionId: integer("option_id")
      .notNull()
      .references(() => featureOptions.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.categoryId] })],
);

/** A company's own choice for a feature category, replacing its plan's. */
export const companyFeatureOverrides = pgTable(
  "company_feature_overrides",
  {
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    categoryId: integer("category_id")
      .notNull()
      .references(() => featureCategories.id, { onDelete: "cascade" }),
    optionId: integer("option_id")
      .notNull()
      .references(() => featureOptions.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.categoryId] })],
);

/**
 * Per-company rates replacing the plan's; null means "use the plan". `parked` keeps the value of
 * each override that was switched off (API field name → value), to restore when switched on again.
 */
export const companyBillingOverrides = pgTable("company_billing_overrides", {
  companyId: integer("company_id")
    .primaryKey()
    .references(() => companies.id, { onDelete: "cascade" }),
  perUserCents: cents("per_user_cents"),
  perWorkstationCents: cents("per_workstation_cents"),
  perServerCents: cents("per_server_cents"),
  perVmCents: cents("per_vm_cents"),
  perSwitchCents: cents("per_switch_cents"),
  perFirewallCents: cents("per_firewall_cents"),
  perHourCents: cents("per_hour_cents"),
  prepaidMinutesMonthly: integer("prepaid_minutes_monthly"),
  prepaidMinutesYearly: integer("prepaid_minutes_yearly"),
  backupBaseWorkstationCents: cents("backup_base_workstation_cents"),
  backupBaseServerCents: cents("backup_base_server_cents"),
  backupIncludedTb: integer("backup_included_tb"),
  backupPerTbCents: cents("backup_per_tb_cents"),
  parked: jsonb("parked").$type<Record<string, number>>(),
  updatedAt: updated(),
});

/** How one asset is billed when not as its type: another type, free, or a custom price. */
export const assetBillingOverrides = pgTable("asset_billing_overrides", {
  assetId: integer("asset_id")
    .primaryKey()
    .references(() => assets.id, { onDelete: "cascade" }),
  billingType: text("billing_type", { enum: ASSET_BILLING_TYPES }).notNull(),
  customCents: cents("custom_cents"),
  updatedAt: updated(),
});

/** How one contact is billed as a user of one company (default: paid at the per-user rate). */
export const contactBillingOverrides = pgTable(
  "contact_billing_overrides",
  {
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    billingType: text("billing_type", { enum: USER_BILLING_TYPES }).notNull(),
    customCents: cents("custom_cents"),
    updatedAt: updated(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.contactId] })],
);

/** Extra charges: every month, once (year + month) or yearly (in `month`). */
export const lineItems = pgTable(
  "line_items",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    kind: text("kind", { enum: LINE_ITEM_KINDS }).notNull(),
    amountCents: cents("amount_cents").notNull(),
    year: integer("year"),
    month: integer("month"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [index("line_items_company_idx").on(t.companyId)],
);

/** A device billed by hand, not in Codex's asset list (Ledger's manual assets): a type, no charge or a custom price. */
export const manualAssets = pgTable(
  "manual_assets",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    hostname: text("hostname").notNull(),
    billingType: text("billing_type", { enum: ASSET_BILLING_TYPES }).notNull(),
    customCents: cents("custom_cents"),
    notes: text("notes"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [index("manual_assets_company_idx").on(t.companyId, t.id)],
);

/** A user billed by hand, not a Codex contact (Ledger's manual users): paid, free or a custom price. */
export const manualUsers = pgTable(
  "manual_users",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    billingType: text("billing_type", { enum: USER_BILLING_TYPES }).notNull(),
    customCents: cents("custom_cents"),
    notes: text("notes"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [index("manual_users_company_idx").on(t.companyId, t.id)],
);

/**
 * Runs of "accept every bill of a month", scheduled or started by hand. `run_key` is unique:
 * two processes firing the same scheduled tick try the same key, and only one runs.
 */
export const billingRuns = pgTable(
  "billing_runs",
  {
    id: serial("id").primaryKey(),
    runKey: text("run_key").notNull(),
    year: integer("year").notNull(),
    month: integer("month").notNull(),
    /** "scheduler", or the person or service that started it. */
    triggeredBy: text("triggered_by").notNull(),
    status: text("status", { enum: BILLING_RUN_STATUSES }).notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    accepted: integer("accepted")
      .notNull()
      .$defaultFn(() => 0),
    skipped: integer("skipped")
      .notNull()
      .$defaultFn(() => 0),
    empty: integer("empty")
      .notNull()
      .$defaultFn(() => 0),
    failed: integer("failed")
      .notNull()
      .$defaultFn(() => 0),
    output: text("output"),
    error: text("error"),
  },
  (t) => [uniqueIndex("billing_runs_key_uq").on(t.runKey), index("billing_runs_started_idx").on(t.startedAt, t.id)],
);

/** An accepted bill: an immutable snapshot of what was billed; never updated. */
export const acceptedBills = pgTable(
  "accepted_bills",
  {
    id: serial("id").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "restrict" }),
    accountNumber: text("account_number").notNull(),
    invoiceNumber: text("invoice_number").notNull(),
    year: integer("year").notNull(),
    month: integer("month").notNull(),
    totalCents: cents("total_cents").notNull(),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull(),
    notes: text("notes"),
    acceptedBy: text("accepted_by").notNull(),
    acceptedAt: ts("accepted_at").notNull(),
  },
  (t) => [
    uniqueIndex("accepted_bills_invoice_uq").on(t.invoiceNumber),
    uniqueIndex("accepted_bills_company_period_uq").on(t.companyId, t.year, t.month),
    index("accepted_bills_period_idx").on(t.year, t.month),
  ],
);

/** Every change to Codex's data: who, when, what, before and after. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: serial("id").primaryKey(),
    at: ts("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    companyId: integer("company_id"),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityId, t.id), index("audit_log_at_idx").on(t.at)],
);

/**
 * What a migration repaired in data written before a rule held (e.g. duplicate assets merged once
 * company + hostname became unique): one row per record kept, logged once at the next start-up.
 */
export const dataRepairs = pgTable("data_repairs", {
  id: serial("id").primaryKey(),
  at: ts("at").notNull(),
  /** The migration that made the repair, e.g. 0008_unique_asset_hostnames. */
  migration: text("migration").notNull(),
  entity: text("entity").notNull(),
  /** The record kept; the others were merged into it and deleted. */
  keptId: integer("kept_id").notNull(),
  removed: integer("removed").notNull(),
  /** What the duplicates shared, e.g. "company 4, hostname WS-001". */
  detail: text("detail").notNull(),
  /** Set once Codex has logged the repair. */
  reportedAt: ts("reported_at"),
});

/**
 * Ticket emails waiting to go, sent, or given up on: written in the same transaction as the change
 * that causes them, sent by src/mail/outbox/sender.ts. A sender claims rows by setting `status`
 * to sending with its `claim_token` and a lease (`locked_until`); a lease that runs out (the
 * sender died) makes the row claimable again.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: serial("id").primaryKey(),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    event: text("event", { enum: OUTBOX_EVENTS }).notNull(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** Our own Message-ID (`<ticket-12.…@our domain>`); replies quote it back. */
    messageId: text("message_id").notNull(),
    inReplyTo: text("in_reply_to"),
    /** Message-IDs, space-separated. */
    references: text("references"),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    lockedUntil: ts("locked_until"),
    claimToken: text("claim_token"),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex("mail_outbox_message_id_uq").on(t.messageId),
    index("mail_outbox_due_idx").on(t.status, t.nextAttemptAt, t.id),
    index("mail_outbox_ticket_idx").on(t.ticketId),
  ],
);

/**
 * Every message read from the polled mailbox, once: the unique Message-ID and mailbox UID
 * (with its UIDVALIDITY) make a second poller, a re-poll or a restart skip it. Messages held for
 * triage keep their sender, subject and text (never HTML) until staff assign or discard them.
 */
export const mailInbound = pgTable(
  "mail_inbound",
  {
    id: serial("id").primaryKey(),
    messageId: text("message_id"),
    mailbox: text("mailbox").notNull(),
    uidValidity: bigint("uid_validity", { mode: "number" }).notNull(),
    uid: bigint("uid", { mode: "number" }).notNull(),
    fromAddress: text("from_address"),
    fromName: text("from_name"),
    subject: text("subject").notNull(),
    /** The message's text: kept for triage only. */
    body: text("body"),
    outcome: text("outcome", { enum: INBOUND_OUTCOMES }).notNull(),
    /** Why: the auto-reply header, the ambiguous company, … */
    reason: text("reason"),
    ticketId: integer("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    receivedAt: ts("received_at"),
    handledBy: text("handled_by"),
    handledAt: ts("handled_at"),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("mail_inbound_message_id_uq").on(t.messageId),
    uniqueIndex("mail_inbound_uid_uq").on(t.mailbox, t.uidValidity, t.uid),
    index("mail_inbound_outcome_idx").on(t.outcome, t.id),
    index("mail_inbound_ticket_idx").on(t.ticketId),
  ],
);

/** Answers kept for Idempotency-Key retries (lib/idempotency). */
export { idempotencyKeys } from "@hivematrix/lib/idempotency-table";

export type Company = typeof companies.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type Asset = typeof assets.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type TicketEntry = typeof ticketEntries.$inferSelect;
export type TicketTimeEntry = typeof ticketTimeEntries.$inferSelect;
export type TicketAttachment = typeof ticketAttachments.$inferSelect;
export type Agent = typeof agents.$inferSelect;
export type BillingPlan = typeof billingPlans.$inferSelect;
export type Location = typeof locations.$inferSelect;
export type LineItem = typeof lineItems.$inferSelect;
export type AcceptedBill = typeof acceptedBills.$inferSelect;
export type SyncJob = typeof syncJobs.$inferSelect;
export type FreshserviceWriteback = typeof freshserviceWritebacks.$inferSelect;
export type ManualAsset = typeof manualAssets.$inferSelect;
export type ManualUser = typeof manualUsers.$inferSelect;
export type BillingRun = typeof billingRuns.$inferSelect;
export type OutboxMessage = typeof mailOutbox.$inferSelect;
export type InboundMessageRow = typeof mailInbound.$inferSelect;
