import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { type BillingPlan, COMPLIANCE_LEVELS, CONTRACT_TERMS, type Company, companies } from "../db/schema.ts";
import { pageQuery, staleQuery } from "../shared/data-pagination.ts";
import { assetSchema } from "../assets/json.ts";
import { contactSchema } from "../contacts/json.ts";
import { locationSchema } from "../locations/json.ts";
import { ticketSchema } from "../tickets/json.ts";
import { csvColumns, formFields, fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import { label } from "../shared/format.ts";
import { accountNumberSchema, boolish, externalCheck, optDate, optText } from "../shared/input.ts";

const columns = createSelectSchema(companies, { domains: z.array(z.string()) }).shape;

/** A company's fields, written once: its request schemas, JSON, CSV columns and form come from here. */
export const companyFields = {
  id: fromColumn(columns, "id"),
  account_number: {
    ...fromColumn(columns, "accountNumber"),
    input: accountNumberSchema,
    csv: "text",
    form: { label: "Account number", hint: "Letters, digits, dots, dashes; e.g. ACME-001." },
  },
  name: {
    ...fromColumn(columns, "name"),
    input: z.string().trim().min(1, "Required.").max(200),
    csv: "text",
    form: { label: "Name" },
  },
  description: { ...fromColumn(columns, "description"), input: optText(2000), csv: "text" },
  domain: { ...fromColumn(columns, "domain"), input: optText(253), csv: "text", form: { label: "Domain" } },
  domains: {
    ...fromColumn(columns, "domains"),
    input: z.array(z.string().trim().min(1).max(253)).max(50).optional(),
    csv: "list",
  },
  /** The plan's name; with contract_term it picks the plan (plans are unique by name and term). */
  billing_plan: {
    output: z.string().nullable(),
    input: optText(100),
    csv: "text",
    form: { label: "Billing plan", type: "select" },
  },
  billing_plan_id: fromColumn(columns, "billingPlanId"),
  contract_term: {
    ...fromColumn(columns, "contractTerm"),
    input: z.preprocess((v) => (v === "" ? null : v), z.enum(CONTRACT_TERMS).nullable()).optional(),
    csv: "text",
    form: {
      label: "Contract term",
      type: "select",
      options: [{ value: "", label: "None" }, ...CONTRACT_TERMS.map((term) => ({ value: term, label: label(term) }))],
    },
  },
  /** The plan's support level. */
  support_level: { output: z.string().nullable() },
  contract_start: {
    ...fromColumn(columns, "contractStart"),
    input: optDate(),
    csv: "text",
    form: { label: "Contract start", type: "date" },
  },
  contract_end: {
    ...fromColumn(columns, "contractEnd"),
    input: optDate(),
    csv: "text",
    form: { label: "Contract end", type: "date" },
  },
  compliance_level: {
    ...fromColumn(columns, "complianceLevel"),
    input: z.enum(COMPLIANCE_LEVELS).optional(),
    csv: "text",
    form: {
      label: "Compliance level",
      type: "select",
      options: COMPLIANCE_LEVELS.map((level) => ({ value: level, label: level.toUpperCase() })),
    },
  },
  phone: { ...fromColumn(columns, "phone"), input: optText(50), csv: "text", form: { label: "Phone", type: "tel" } },
  address: {
    ...fromColumn(columns, "address"),
    input: optText(500),
    csv: "text",
    form: { label: "Address", type: "textarea", full: true, rows: 2 },
  },
  notes: {
    ...fromColumn(columns, "notes"),
    input: optText(5000),
    csv: "text",
    form: { label: "Notes", type: "textarea", full: true },
  },
  email_system: {
    ...fromColumn(columns, "emailSystem"),
    input: optText(100),
    csv: "text",
    form: { label: "Email system" },
  },
  phone_system: {
    ...fromColumn(columns, "phoneSystem"),
    input: optText(100),
    csv: "text",
    form: { label: "Phone system" },
  },
  head_name: { ...fromColumn(columns, "headName"), input: optText(200), csv: "text", form: { label: "Company head" } },
  prime_user_name: {
    ...fromColumn(columns, "primeUserName"),
    input: optText(200),
    csv: "text",
    form: { label: "Prime user" },
  },
  rmm_portal_url: { ...fromColumn(columns, "rmmPortalUrl"), input: optText(500), csv: "text" },
  /** When a complete PSA sync stopped finding this company (null: current). */
  stale_since: fromColumn(columns, "staleSince"),
  external_id: { ...fromColumn(columns, "externalId"), input: optText(100), csv: "text" },
  external_source: { ...fromColumn(columns, "externalSource"), input: optText(50), csv: "text" },
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

const { account_number: _accountNumber, ...editable } = inputShape(companyFields);

export const companySchema = responseSchema(companyFields, "Company");
export type CompanyJson = z.infer<typeof companySchema>;

/** A new company; also a bulk or CSV row (matched by external id, then account number). */
export const companyCreate = z.object(inputShape(companyFields)).strict().superRefine(externalCheck);
export type CompanyCreate = z.infer<typeof companyCreate>;
/** The account number names the company and never changes. */
export const companyUpdate = z.object(editable).partial().strict().superRefine(externalCheck);
export type CompanyUpdate = z.infer<typeof companyUpdate>;

export const COMPANY_CSV = csvColumns(companyFields);

/** The company form, in the order it shows the fields. */
export const COMPANY_FORM = formFields(companyFields, [
  "account_number",
  "name",
  "domain",
  "phone",
  "billing_plan",
  "contract_term",
  "contract_start",
  "contract_end",
  "compliance_level",
  "email_system",
  "phone_system",
  "head_name",
  "prime_user_name",
  "address",
  "notes",
]);

export type Plans = Map<number, BillingPlan>;

export function companyJson(company: Company, plans: Plans): CompanyJson {
  const plan = company.billingPlanId ? plans.get(company.billingPlanId) : undefined;
  return toJson(companyFields, company, {
    billing_plan: plan?.name ?? null,
    support_level: plan?.supportLevel ?? null,
  });
}

export const companyListQuery = z
  .object({
    q: z.string().max(200).optional(),
    compliance_level: z.enum(COMPLIANCE_LEVELS).optional(),
    billing_plan: z.string().max(100).optional(),
    stale: staleQuery,
    sort: z.enum(["name", "account_number", "updated_at"]).default("name"),
    ...pageQuery,
  })
  .strict();
export type CompanyListQuery = z.infer<typeof companyListQuery>;

/** The `{acct}` of a company's paths. */
export const companyParams = z.object({ acct: z.string().max(100) });

/** A page of companies. */
export const companyPageSchema = z.object({ items: z.array(companySchema), next_cursor: z.string().nullable() });

export const companyTicketsQuery = z
  .object({ year: z.coerce.number().int().min(2000).max(2100).optional(), ...pageQuery })
  .strict();
export type CompanyTicketsQuery = z.infer<typeof companyTicketsQuery>;

export const companiesBulkQuery = z
  .object({
    include_tickets: boolish.default(false),
    /** With include_tickets: only tickets updated in this year. */
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    stale: staleQuery,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type CompaniesBulkQuery = z.infer<typeof companiesBulkQuery>;
export const companiesBulkSchema = z.object({
  items: z.array(
    z.object({
      company: companySchema,
      assets: z.array(assetSchema),
      contacts: z.array(contactSchema),
      locations: z.array(locationSchema),
      tickets: z.array(ticketSchema).optional(),
    }),
  ),
  next_cursor: z.string().nullable(),
});

/** What a company's page lists besides the company itself. */
export interface RelatedRows {
  contacts: { id: number; name: string; email: string | null; job_title: string | null }[];
  assets: { id: number; hostname: string; asset_type: string; operating_system: string | null; online: boolean }[];
  /** Stale assets are left out of `assets` and counted here. */
  staleAssets: number;
  locations: { id: number; name: string; address: string | null; phone: string | null }[];
  tickets: { id: number; subject: string; status: string; priority: string; updated_at: string }[];
  features: { name: string; display_name: string | null; source: string }[];
}
