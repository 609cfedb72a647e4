import { and, eq, inArray } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import type { z } from "zod";
import type { Contact } from "../db/schema.ts";
import { companyIdsByAccount } from "../companies/data.ts";
import type { CodexDb } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import { type BulkResult, type BulkSpec, runBulk, writeOne } from "../shared/data-bulk.ts";
import { existingByExternal, rowsWhereIn, selectIn } from "../shared/data-common.ts";
import { deleteRecord } from "../shared/data-records.ts";
import { toColumns } from "../shared/fields.ts";
import { type ContactCreate, type ContactUpdate, contactCreate, contactFields, contactUpdate } from "./json.ts";

/** Checked input → columns; without a name, the first and last name make one. */
function contactColumns(input: Partial<ContactCreate>): Partial<Contact> {
  const { id: _id, ...columns } = toColumns<Contact>(contactFields, input);
  const joined = [input.first_name, input.last_name].filter(Boolean).join(" ");
  if (!input.name) {
    if (joined) columns.name = joined;
    else delete columns.name;
  }
  return columns;
}

/** contact id → account numbers of its companies (only `onlyCompanyId`'s, for a client). */
export async function companiesOfContacts(
  db: CodexDb,
  ids: number[],
  onlyCompanyId: number | null = null,
): Promise<Map<number, string[]>> {
  const rows = await selectIn(ids, (part) =>
    db.db
      .select({ contactId: db.t.contactCompanies.contactId, account: db.t.companies.accountNumber })
      .from(db.t.contactCompanies)
      .innerJoin(db.t.companies, eq(db.t.companies.id, db.t.contactCompanies.companyId))
      .where(
        and(
          inArray(db.t.contactCompanies.contactId, part as number[]),
          onlyCompanyId === null ? undefined : eq(db.t.contactCompanies.companyId, onlyCompanyId),
        ),
      ),
  );
  const out = new Map<number, string[]>();
  for (const row of rows) (out.get(row.contactId) ?? out.set(row.contactId, []).get(row.contactId)!).push(row.account);
  for (const list of out.values()) list.sort();
  return out;
}

export async function requireContact(db: CodexDb, id: number): Promise<Contact> {
  const [row] = await db.db.select().from(db.t.contacts).where(eq(db.t.contacts.id, id));
  if (!row) throw notFound(`No contact ${id}.`);
  return row;
}

async function contactSpec(
  db: CodexDb,
  options: { createOnly?: boolean; target?: Contact } = {},
): Promise<BulkSpec<Contact, ContactCreate>> {
  const companyIds = new Map<string, number>();
  const byEmail = new Map<string, Contact>();
  const byExternal = new Map<string, Contact>();
  const currentLinks = new Map<number, Set<number>>();
  const seenEmails = new Map<string, number>();
  const byId = new Map<number, Contact>();
  return {
    entity: "contact",
    table: db.t.contacts,
    tableName: "contacts",
    schema: (options.target ? contactUpdate : contactCreate) as z.ZodType<ContactCreate>,
    async load(rows) {
      const wantIds = rows.flatMap((row) => (row.id ? [row.id] : []));
      for (const contact of await rowsWhereIn<Contact>(db, db.t.contacts, db.t.contacts.id, wantIds))
        byId.set(contact.id, contact);
      for (const [account, id] of await companyIdsByAccount(
        db,
        rows.flatMap((row) => row.companies ?? []),
      ))
        companyIds.set(account, id);
      const emails = rows.flatMap((row) => (row.email ? [row.email] : []));
      for (const contact of await rowsWhereIn<Contact>(db, db.t.contacts, db.t.contacts.email, emails))
        byEmail.set(contact.email!, contact);
      for (const [key, contact] of await existingByExternal<Contact>(db, db.t.contacts, rows))
        byExternal.set(key, contact);
      const known = [
        ...byId.values(),
        ...byEmail.values(),
        ...byExternal.values(),
        ...(options.target ? [options.target] : []),
      ].map((contact) => contact.id);
      for (const link of await selectIn(known, (part) =>
        db.db
          .select()
          .from(db.t.contactCompanies)
          .where(inArray(db.t.contactCompanies.contactId, part as number[])),
      )) {
        (currentLinks.get(link.contactId) ?? currentLinks.set(link.contactId, new Set()).get(link.contactId)!).add(
          link.companyId,
        );
      }
    },
    resolve(row, index) {
      if (row.id && (options.createOnly || !byId.has(row.id)))
        return {
          error: {
            field: "id",
            message: options.createOnly ? "Leave id out: Codex assigns it." : `No contact ${row.id}.`,
          },
        };
      const missing = (row.companies ?? []).find((account) => !companyIds.has(account));
      if (missing) return { error: { field: "companies", message: `No company with account number ${missing}.` } };
      if (row.email) {
        const dup = seenEmails.get(row.email);
        if (dup !== undefined) return { error: { field: "email", message: `Repeats row ${dup + 1}'s email.` } };
        seenEmails.set(row.email, index);
      }
      const ext = row.external_id ? byExternal.get(`${row.external_source}\u0000${row.external_id}`) : undefined;
      const sameEmail = row.email ? byEmail.get(row.email) : undefined;
      const existing = options.target ?? (row.id ? byId.get(row.id) : undefined) ?? ext ?? sameEmail;
      if (sameEmail && existing && sameEmail.id !== existing.id)
        return { error: { field: "email", message: `${row.email} is already used by ${sameEmail.name}.` } };
      if (existing && options.createOnly)
        return { error: { field: "email", message: `${row.email} is already used by ${existing.name}.` } };
      return { existing, cols: contactColumns(row) };
    },
    companyIdOf: () => null,
    async writeLinks(tx, id, row, created) {
      if (!row.companies) return false;
      const want = new Set(row.companies.map((account) => companyIds.get(account)!));
      const have = created ? new Set<number>() : (currentLinks.get(id) ?? new Set<number>());
      const add = [...want].filter((companyId) => !have.has(companyId));
      const remove = [...have].filter((companyId) => !want.has(companyId));
      if (add.length)
        await tx.insert(db.t.contactCompanies).values(add.map((companyId) => ({ contactId: id, companyId })));
      if (remove.length)
        await tx
          .delete(db.t.contactCompanies)
          .where(and(eq(db.t.contactCompanies.contactId, id), inArray(db.t.contactCompanies.companyId, remove)));
      return add.length + remove.length > 0;
    },
  };
}

export async function createContact(db: CodexDb, input: ContactCreate, actor: Actor): Promise<Contact> {
  const id = await writeOne(db, actor, await contactSpec(db, { createOnly: true }), input);
  return requireContact(db, id);
}

export async function updateContact(
  db: CodexDb,
  contact: Contact,
  input: ContactUpdate,
  actor: Actor,
): Promise<Contact> {
  await writeOne(db, actor, await contactSpec(db, { target: contact }), input as ContactCreate);
  return requireContact(db, contact.id);
}

export function deleteContact(db: CodexDb, contact: Contact, actor: Actor): Promise<void> {
  return deleteRecord(db, actor, { entity: "contact", table: db.t.contacts, current: contact, companyId: null });
}

/**
 * Creates or updates many contacts: matched by (external_source, external_id), then email;
 * `companies` (account numbers) replaces the contact's company links when sent. Nothing is
 * written if any row is invalid.
 */
export async function upsertContacts(db: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(db, actor, await contactSpec(db), rows);
}
