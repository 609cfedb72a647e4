import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import type { Contact } from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "../shared/data-bulk.ts";
import { accountNumberSchema, externalCheck, externalFields, optEmail, optText } from "../shared/input.ts";
import { dropUndefined, selectIn, type Tx, existingByExternal } from "../shared/data-common.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import type { BulkResult } from "../shared/data-bulk.ts";

const fields = {
  name: optText(200),
  first_name: optText(100),
  last_name: optText(100),
  email: optEmail(),
  secondary_emails: z.array(z.email().max(254)).max(20).optional(),
  job_title: optText(200),
  mobile_phone: optText(50),
  work_phone: optText(50),
  address: optText(500),
  time_zone: optText(100),
  notes: optText(5000),
  active: z.boolean().optional(),
  vip: z.boolean().optional(),
  /** Account numbers of the companies this contact belongs to (replaces the list when sent). */
  companies: z.array(accountNumberSchema).max(100).optional(),
  ...externalFields,
};

const needsName = (
  v: { name?: string | null; first_name?: string | null; last_name?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (!v.name && !v.first_name && !v.last_name)
    ctx.addIssue({ code: "custom", path: ["name"], message: "Give a name (or a first or last name)." });
};

/** `id` (bulk and CSV rows): update that contact. */
export const contactCreateSchema = z
  .object({ id: z.number().int().positive().optional(), ...fields })
  .strict()
  .superRefine(externalCheck)
  .superRefine(needsName);
export const contactUpdateSchema = z.object(fields).partial().strict().superRefine(externalCheck);
export type ContactCreate = z.infer<typeof contactCreateSchema>;
export type ContactUpdate = z.infer<typeof contactUpdateSchema>;

function toColumns(i: Partial<ContactCreate>): Partial<Contact> {
  const joined = [i.first_name, i.last_name].filter(Boolean).join(" ");
  return dropUndefined({
    name: i.name || (joined ? joined : undefined),
    firstName: i.first_name,
    lastName: i.last_name,
    email: i.email,
    secondaryEmails: i.secondary_emails,
    jobTitle: i.job_title,
    mobilePhone: i.mobile_phone,
    workPhone: i.work_phone,
    address: i.address,
    timeZone: i.time_zone,
    notes: i.notes,
    active: i.active,
    vip: i.vip,
    externalId: i.external_id,
    externalSource: i.external_source,
  }) as Partial<Contact>;
}

export function contactJson(c: Contact, companies: string[]) {
  return {
    id: c.id,
    name: c.name,
    first_name: c.firstName,
    last_name: c.lastName,
    email: c.email,
    secondary_emails: c.secondaryEmails,
    job_title: c.jobTitle,
    mobile_phone: c.mobilePhone,
    work_phone: c.workPhone,
    address: c.address,
    time_zone: c.timeZone,
    notes: c.notes,
    active: c.active,
    vip: c.vip,
    companies,
    external_id: c.externalId,
    external_source: c.externalSource,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** contact id → account numbers of its companies (only `onlyCompanyId`'s, for a client). */
export async function companiesOfContacts(
  h: CodexDb,
  ids: number[],
  onlyCompanyId: number | null = null,
): Promise<Map<number, string[]>> {
  const rows = await selectIn(ids, (part) =>
    h.db
      .select({ contactId: h.t.contactCompanies.contactId, account: h.t.companies.accountNumber })
      .from(h.t.contactCompanies)
      .innerJoin(h.t.companies, eq(h.t.companies.id, h.t.contactCompanies.companyId))
      .where(
        and(
          inArray(h.t.contactCompanies.contactId, part as number[]),
          onlyCompanyId === null ? undefined : eq(h.t.contactCompanies.companyId, onlyCompanyId),
        ),
      ),
  );
  const out = new Map<number, string[]>();
  for (const r of rows) (out.get(r.contactId) ?? out.set(r.contactId, []).get(r.contactId)!).push(r.account);
  for (const list of out.values()) list.sort();
  return out;
}

export async function requireContact(h: CodexDb, id: number): Promise<Contact> {
  const [row] = await h.db.select().from(h.t.contacts).where(eq(h.t.contacts.id, id));
  if (!row) throw notFound(`No contact ${id}.`);
  return row;
}

async function contactSpec(
  h: CodexDb,
  o: { createOnly?: boolean; target?: Contact } = {},
): Promise<BulkSpec<Contact, ContactCreate>> {
  const companyIds = new Map<string, number>();
  const byEmail = new Map<string, Contact>();
  const byExternal = new Map<string, Contact>();
  const currentLinks = new Map<number, Set<number>>();
  const seenEmails = new Map<string, number>();
  const byId = new Map<number, Contact>();
  return {
    entity: "contact",
    table: h.t.contacts,
    tableName: "contacts",
    schema: (o.target ? contactUpdateSchema : contactCreateSchema) as z.ZodType<ContactCreate>,
    async load(rows) {
      const wantIds = rows.flatMap((r) => (r.id ? [r.id] : []));
      for (const x of await selectIn(wantIds, (part) =>
        h.db
          .select()
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.id, part as number[])),
      ))
        byId.set(x.id, x);
      const accounts = rows.flatMap((r) => r.companies ?? []);
      for (const c of await selectIn(accounts, (part) =>
        h.db
          .select({ id: h.t.companies.id, acct: h.t.companies.accountNumber })
          .from(h.t.companies)
          .where(inArray(h.t.companies.accountNumber, part as string[])),
      )) {
        companyIds.set(c.acct, c.id);
      }
      const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
      for (const c of await selectIn(emails, (part) =>
        h.db
          .select()
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.email, part as string[])),
      ))
        byEmail.set(c.email!, c);
      for (const [k, v] of await existingByExternal<Contact>(h, h.t.contacts, rows)) byExternal.set(k, v);
      const known = [
        ...byId.values(),
        ...byEmail.values(),
        ...byExternal.values(),
        ...(o.target ? [o.target] : []),
      ].map((c) => c.id);
      for (const l of await selectIn(known, (part) =>
        h.db
          .select()
          .from(h.t.contactCompanies)
          .where(inArray(h.t.contactCompanies.contactId, part as number[])),
      )) {
        (currentLinks.get(l.contactId) ?? currentLinks.set(l.contactId, new Set()).get(l.contactId)!).add(l.companyId);
      }
    },
    resolve(p, i) {
      if (p.id && (o.createOnly || !byId.has(p.id)))
        return {
          error: { field: "id", message: o.createOnly ? "Leave id out: Codex assigns it." : `No contact ${p.id}.` },
        };
      const missing = (p.companies ?? []).find((a) => !companyIds.has(a));
      if (missing) return { error: { field: "companies", message: `No company with account number ${missing}.` } };
      if (p.email) {
        const dup = seenEmails.get(p.email);
        if (dup !== undefined) return { error: { field: "email", message: `Repeats row ${dup + 1}'s email.` } };
        seenEmails.set(p.email, i);
      }
      const ext = p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined;
      const sameEmail = p.email ? byEmail.get(p.email) : undefined;
      const existing = o.target ?? (p.id ? byId.get(p.id) : undefined) ?? ext ?? sameEmail;
      if (sameEmail && existing && sameEmail.id !== existing.id)
        return { error: { field: "email", message: `${p.email} is already used by ${sameEmail.name}.` } };
      if (existing && o.createOnly)
        return { error: { field: "email", message: `${p.email} is already used by ${existing.name}.` } };
      return { existing, cols: toColumns(p) };
    },
    companyIdOf: () => null,
    async writeLinks(tx, id, p, created) {
      if (!p.companies) return false;
      const want = new Set(p.companies.map((a) => companyIds.get(a)!));
      const have = created ? new Set<number>() : (currentLinks.get(id) ?? new Set<number>());
      const add = [...want].filter((c) => !have.has(c));
      const remove = [...have].filter((c) => !want.has(c));
      if (add.length)
        await tx.insert(h.t.contactCompanies).values(add.map((companyId) => ({ contactId: id, companyId })));
      if (remove.length)
        await tx
          .delete(h.t.contactCompanies)
          .where(and(eq(h.t.contactCompanies.contactId, id), inArray(h.t.contactCompanies.companyId, remove)));
      return add.length + remove.length > 0;
    },
  };
}

export async function createContact(h: CodexDb, input: unknown, actor: Actor): Promise<Contact> {
  const id = await runOne(h, actor, await contactSpec(h, { createOnly: true }), input);
  return requireContact(h, id);
}

export async function updateContact(h: CodexDb, contact: Contact, input: unknown, actor: Actor): Promise<Contact> {
  await runOne(h, actor, await contactSpec(h, { target: contact }), input);
  return requireContact(h, contact.id);
}

export async function deleteContact(h: CodexDb, contact: Contact, actor: Actor): Promise<void> {
  await transaction(h, async (tx: Tx) => {
    await tx.delete(h.t.contacts).where(eq(h.t.contacts.id, contact.id));
    await writeAudit(tx, h, actor, [{ action: "delete", entity: "contact", entityId: contact.id, before: contact }]);
  });
}

/**
 * Creates or updates many contacts: matched by (external_source, external_id), then email;
 * `companies` (account numbers) replaces the contact's company links when sent. Nothing is
 * written if any row is invalid.
 */
export async function upsertContacts(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await contactSpec(h), rows);
}
