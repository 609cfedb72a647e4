import { eq } from "drizzle-orm";
import { z } from "zod";
import type { CodexDb } from "../deps.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";

/**
 * Non-secret integration settings, one integration_settings row per provider (`freshservice`,
 * `datto`, `webhooks`, `scheduler`). Each is parsed with defaults, so a row written by an older
 * version, or none at all, still reads as a complete, valid object.
 */

const statusName = z.enum(TICKET_STATUSES);
const priorityName = z.enum(TICKET_PRIORITIES);

/** Freshservice's built-in ids; custom statuses (8, 9, …) differ per tenant, so they are configured, not assumed. */
export const DEFAULT_STATUS_MAP: Record<string, (typeof TICKET_STATUSES)[number]> = {
  "2": "open",
  "3": "pending",
  "4": "resolved",
  "5": "closed",
};
export const DEFAULT_PRIORITY_MAP: Record<string, (typeof TICKET_PRIORITIES)[number]> = {
  "1": "low",
  "2": "medium",
  "3": "high",
  "4": "urgent",
};

/** The company details read from department fields, and the names Codex's own template gave those fields. */
export const COMPANY_FIELDS = [
  "phone",
  "address",
  "email_system",
  "phone_system",
  "rmm_portal_url",
  "contract_term",
  "contract_start",
] as const;
export type CompanyField = (typeof COMPANY_FIELDS)[number];
export const DEFAULT_COMPANY_FIELDS: Record<CompanyField, string> = {
  phone: "company_main_number",
  address: "address",
  email_system: "email_system",
  phone_system: "phone_system",
  rmm_portal_url: "datto_portal_url",
  contract_term: "contract_term",
  contract_start: "contract_start_date",
};

const workspaceId = z.number().int().positive();
const fieldName = z.string().trim().min(1).max(100);

const freshserviceObject = z.object({
  domain: z.string().default(""),
  /** Where people open Freshservice in a browser when not at `domain` (a custom portal domain); "" is `domain`. */
  webDomain: z.string().default(""),
  /**
   * What a company is: a department (one account with departments per client), or a workspace
   * (Freshservice for MSPs, where each client is a workspace; https://api.freshservice.com/v2/).
   */
  companiesFrom: z.enum(["departments", "workspaces"]).default("departments"),
  /** With departments: the workspaces tickets are read from; [] is the primary one (the API's answer without one). */
  workspaceIds: z.union([z.literal("all"), z.array(workspaceId)]).default([]),
  /** With workspaces: client workspace id → account number; unlisted workspaces (the MSP's own) are not synced. */
  clients: z.record(z.string().regex(/^\d+$/), z.string().trim().min(1).max(50)).default({}),
  /** Freshservice status id → Codex status; spam and trash are flags of a ticket, not statuses. */
  statusMap: z.record(z.string().regex(/^\d+$/), statusName).default(DEFAULT_STATUS_MAP),
  priorityMap: z.record(z.string().regex(/^\d+$/), priorityName).default(DEFAULT_PRIORITY_MAP),
  /** The department custom field holding the company's account number. */
  accountNumberField: z.string().min(1).default("account_number"),
  /** Which of this tenant's department fields holds each company detail (GET /department_fields lists them). */
  companyFields: z
    .object(
      Object.fromEntries(COMPANY_FIELDS.map((f) => [f, fieldName.default(DEFAULT_COMPANY_FIELDS[f])])) as Record<
        CompanyField,
        z.ZodDefault<typeof fieldName>
      >,
    )
    .default(DEFAULT_COMPANY_FIELDS),
  /** Where full-history ticket sync starts. */
  historyStart: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default("2015-01-01"),
});

/** Rows written before workspaces could be listed held one optional `workspaceId`. */
export const freshserviceSettingsSchema = z.preprocess((raw) => {
  const row = raw as Record<string, unknown> | null;
  if (!row || typeof row !== "object" || row.workspaceIds !== undefined || typeof row.workspaceId !== "number")
    return raw;
  const { workspaceId: single, ...rest } = row;
  return { ...rest, workspaceIds: [single] };
}, freshserviceObject);
export type FreshserviceSettings = z.infer<typeof freshserviceObject>;

/** udf1 to udf300: the device UDFs of Datto's API (its OpenAPI document's Udf schema). */
export const UDF_NAME = /^udf([1-9]\d?|[12]\d\d|300)$/;

export const dattoSettingsSchema = z.object({
  apiUrl: z.string().default(""),
  /** The site variable linking a Datto site to a Codex company. */
  accountVariable: z.string().min(1).default("AccountNumber"),
  /**
   * Which device UDFs to keep, under what label (udf1 → "Entra ID tenant"). UDF meanings differ
   * per MSP and some hold secrets (BitLocker keys), so none is copied unless listed here.
   */
  udfLabels: z.record(z.string().regex(UDF_NAME), z.string().trim().min(1).max(100)).default({}),
  /** The UDF holding backup usage in bytes, if any. */
  backupBytesUdf: z.string().regex(UDF_NAME).nullable().default(null),
});
export type DattoSettings = z.infer<typeof dattoSettingsSchema>;

export const webhookSettingsSchema = z.object({
  /** Client IPs allowed to call the webhook (exact addresses); empty means any, the secret still required. */
  ipAllowlist: z.array(z.string()).default([]),
});
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

export const JOB_KINDS = ["psa", "tickets", "tickets_full", "rmm", "agents"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

const scheduleEntry = z.object({ enabled: z.boolean(), cron: z.string().min(1) });
export const DEFAULT_SCHEDULES: Record<JobKind, { enabled: boolean; cron: string }> = {
  psa: { enabled: false, cron: "0 2 * * *" },
  tickets: { enabled: false, cron: "*/10 * * * *" },
  tickets_full: { enabled: false, cron: "0 4 * * 0" },
  rmm: { enabled: false, cron: "0 3 * * *" },
  agents: { enabled: false, cron: "30 2 * * *" },
};

export const schedulerSettingsSchema = z.object({
  runOnStart: z.boolean().default(false),
  /** IANA zone the cron expressions are read in; null is the server's zone. */
  timezone: z.string().nullable().default(null),
  jobs: z
    .object(
      Object.fromEntries(JOB_KINDS.map((k) => [k, scheduleEntry.default(DEFAULT_SCHEDULES[k])])) as Record<
        JobKind,
        z.ZodDefault<typeof scheduleEntry>
      >,
    )
    .default(DEFAULT_SCHEDULES),
});
export type SchedulerSettings = z.infer<typeof schedulerSettingsSchema>;

const schemas = {
  freshservice: freshserviceSettingsSchema,
  datto: dattoSettingsSchema,
  webhooks: webhookSettingsSchema,
  scheduler: schedulerSettingsSchema,
} as const;
export type SettingsProvider = keyof typeof schemas;
export type SettingsOf<P extends SettingsProvider> = z.infer<(typeof schemas)[P]>;

export interface StoredSettings<P extends SettingsProvider> {
  enabled: boolean;
  settings: SettingsOf<P>;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function readSettings<P extends SettingsProvider>(db: CodexDb, provider: P): Promise<StoredSettings<P>> {
  const t = db.t.integrationSettings;
  const [row] = await db.db.select().from(t).where(eq(t.provider, provider));
  const parsed = schemas[provider].safeParse(row?.settings ?? {});
  // A row that no longer parses (hand-edited, older version) falls back to defaults rather than breaking syncs.
  const settings = (parsed.success ? parsed.data : schemas[provider].parse({})) as SettingsOf<P>;
  return {
    enabled: row?.enabled ?? false,
    settings,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function writeSettings<P extends SettingsProvider>(
  db: CodexDb,
  provider: P,
  value: { enabled: boolean; settings: SettingsOf<P> },
  actor: string,
): Promise<void> {
  const t = db.t.integrationSettings;
  const settings = schemas[provider].parse(value.settings) as Record<string, unknown>;
  const now = new Date();
  await db.db
    .insert(t)
    .values({ provider, enabled: value.enabled, settings, updatedBy: actor, updatedAt: now })
    .onConflictDoUpdate({
      target: t.provider,
      set: { enabled: value.enabled, settings, updatedBy: actor, updatedAt: now },
    });
}
