import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { type Contact, contacts } from "../db/schema.ts";
import { pageQuery } from "../shared/data-pagination.ts";
import { csvColumns, formFields, fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import { accountNumberSchema, boolish, externalCheck, optEmail, optText } from "../shared/input.ts";

const columns = createSelectSchema(contacts, { secondaryEmails: z.array(z.string()) }).shape;

/** A contact's fields, written once: its request schemas, JSON, CSV columns and form come from here. */
export const contactFields = {
  /** In bulk and CSV rows: update that contact. */
  id: { ...fromColumn(columns, "id"), input: z.number().int().positive().optional(), csv: "int" },
  name: { ...fromColumn(columns, "name"), input: optText(200), csv: "text", form: { label: "Name" } },
  first_name: { ...fromColumn(columns, "firstName"), input: optText(100), csv: "text" },
  last_name: { ...fromColumn(columns, "lastName"), input: optText(100), csv: "text" },
  email: { ...fromColumn(columns, "email"), input: optEmail(), csv: "text", form: { label: "Email", type: "email" } },
  secondary_emails: {
    ...fromColumn(columns, "secondaryEmails"),
    input: z.array(z.email().max(254)).max(20).optional(),
    csv: "list",
  },
  job_title: { ...fromColumn(columns, "jobTitle"), input: optText(200), csv: "text", form: { label: "Job title" } },
  mobile_phone: {
    ...fromColumn(columns, "mobilePhone"),
    input: optText(50),
    csv: "text",
    form: { label: "Mobile", type: "tel" },
  },
  work_phone: {
    ...fromColumn(columns, "workPhone"),
    input: optText(50),
    csv: "text",
    form: { label: "Work phone", type: "tel" },
  },
  address: {
    ...fromColumn(columns, "address"),
    input: optText(500),
    csv: "text",
    form: { label: "Address", type: "textarea", full: true, rows: 2 },
  },
  time_zone: { ...fromColumn(columns, "timeZone"), input: optText(100), csv: "text", form: { label: "Time zone" } },
  notes: {
    ...fromColumn(columns, "notes"),
    input: optText(5000),
    csv: "text",
    form: { label: "Notes", type: "textarea", full: true },
  },
  active: {
    ...fromColumn(columns, "active"),
    input: z.boolean().optional(),
    csv: "bool",
    form: { label: "Active", type: "checkbox" },
  },
  vip: {
    ...fromColumn(columns, "vip"),
    input: z.boolean().optional(),
    csv: "bool",
    form: { label: "VIP", type: "checkbox" },
  },
  /** Off: this person gets no ticket emails (their opt-out). Not a CSV column: imports leave it as it is. */
  email_notifications: {
    ...fromColumn(columns, "emailNotifications"),
    input: z.boolean().optional(),
    form: { label: "Ticket emails", type: "checkbox", hint: "Email this person about their tickets." },
  },
  /** Account numbers of the companies this contact belongs to (replaces the list when sent). */
  companies: {
    output: z.array(z.string()),
    input: z.array(accountNumberSchema).max(100).optional(),
    csv: "list",
    form: { label: "Companies", hint: "Account numbers, separated by commas.", list: true },
  },
  external_id: { ...fromColumn(columns, "externalId"), input: optText(100), csv: "text" },
  external_source: { ...fromColumn(columns, "externalSource"), input: optText(50), csv: "text" },
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

const needsName = (
  value: { name?: string | null; first_name?: string | null; last_name?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (!value.name && !value.first_name && !value.last_name)
    ctx.addIssue({ code: "custom", path: ["name"], message: "Give a name (or a first or last name)." });
};

const { id: _id, ...editable } = inputShape(contactFields);

export const contactSchema = responseSchema(contactFields, "Contact");
export type ContactJson = z.infer<typeof contactSchema>;

/** A new contact; also a bulk or CSV row (with `id`, an update of that contact). */
export const contactCreate = z
  .object(inputShape(contactFields))
  .strict()
  .superRefine(externalCheck)
  .superRefine(needsName);
export type ContactCreate = z.infer<typeof contactCreate>;
export const contactUpdate = z.object(editable).partial().strict().superRefine(externalCheck);
export type ContactUpdate = z.infer<typeof contactUpdate>;

export const CONTACT_CSV = csvColumns(contactFields);

/** The contact form, in the order it shows the fields. */
export const CONTACT_FORM = formFields(contactFields, [
  "name",
  "email",
  "job_title",
  "mobile_phone",
  "work_phone",
  "time_zone",
  "companies",
  "active",
  "vip",
  "address",
  "notes",
]);

/** `companies`: the account numbers of the contact's companies (a client sees only its own). */
export function contactJson(contact: Contact, companies: string[]): ContactJson {
  return toJson(contactFields, contact, { companies });
}

export const contactListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    active: boolish.optional(),
    vip: boolish.optional(),
    sort: z.enum(["name", "updated_at"]).default("name"),
    ...pageQuery,
  })
  .strict();
export type ContactListQuery = z.infer<typeof contactListQuery>;

/** The contacts page's status filter; `active` is the default. */
export const CONTACT_STATUSES = ["active", "inactive", "all"] as const;
