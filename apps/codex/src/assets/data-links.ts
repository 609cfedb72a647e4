import { and, count, eq, inArray, isNull, notInArray, type SQL } from "drizzle-orm";
import type { Asset, Contact } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { contactCompanyIds } from "../contacts/data-lists.ts";
import type { Actor } from "../shared/data-audit.ts";
import { contactsOfAssets, updateAsset } from "./data.ts";
import type { LinkChoices } from "./json.ts";

/*
 * Who uses which asset, for the contact's and the asset's pages: the links, what may be linked
 * next, and linking one more or one less (through updateAsset, so the audit log names both).
 */

/** Up to this many candidates are offered in a list; beyond, the form asks for an email or hostname. */
const MAX_CHOICES = 300;

function linkedAssets(db: CodexDb, contactId: number) {
  return db.db
    .select({ id: db.t.assetContacts.assetId })
    .from(db.t.assetContacts)
    .where(eq(db.t.assetContacts.contactId, contactId));
}

/** The assets a contact uses that `scope` may see, by hostname. */
export async function assetsOfContact(db: CodexDb, contactId: number, scope: number | null) {
  const t = db.t.assets;
  const rows = await db.db
    .select({ id: t.id, hostname: t.hostname, companyId: t.companyId, staleSince: t.staleSince })
    .from(t)
    .where(inArray(t.id, linkedAssets(db, contactId)))
    .orderBy(t.hostname);
  return rows
    .filter((asset) => scope === null || asset.companyId === scope)
    .map((asset) => ({ id: asset.id, hostname: asset.hostname, stale_since: asset.staleSince?.toISOString() ?? null }));
}

/** Assets a contact may be given: current ones of the contact's companies, not yet linked. */
async function assetCandidates(db: CodexDb, contact: Contact): Promise<SQL | undefined> {
  const t = db.t.assets;
  return and(
    inArray(t.companyId, await contactCompanyIds(db, contact.id)),
    isNull(t.staleSince),
    notInArray(t.id, linkedAssets(db, contact.id)),
  );
}

/** Contacts an asset may be given: active contacts of its company, not yet linked. */
function contactCandidates(db: CodexDb, asset: Asset, linked: number[]): SQL | undefined {
  const t = db.t.contacts;
  return and(
    inArray(
      t.id,
      db.db
        .select({ id: db.t.contactCompanies.contactId })
        .from(db.t.contactCompanies)
        .where(eq(db.t.contactCompanies.companyId, asset.companyId)),
    ),
    eq(t.active, true),
    linked.length ? notInArray(t.id, linked) : undefined,
  );
}

export async function assetChoices(db: CodexDb, contact: Contact): Promise<LinkChoices> {
  const where = await assetCandidates(db, contact);
  const [found] = await db.db.select({ n: count() }).from(db.t.assets).where(where);
  if (Number(found?.n ?? 0) > MAX_CHOICES) return { tooMany: Number(found!.n) };
  const rows = await db.db
    .select({ id: db.t.assets.id, hostname: db.t.assets.hostname })
    .from(db.t.assets)
    .where(where)
    .orderBy(db.t.assets.hostname);
  return { options: rows.map((asset) => ({ id: asset.id, label: asset.hostname })) };
}

export async function contactChoices(db: CodexDb, asset: Asset, linked: number[]): Promise<LinkChoices> {
  const where = contactCandidates(db, asset, linked);
  const [found] = await db.db.select({ n: count() }).from(db.t.contacts).where(where);
  if (Number(found?.n ?? 0) > MAX_CHOICES) return { tooMany: Number(found!.n) };
  const rows = await db.db
    .select({ id: db.t.contacts.id, name: db.t.contacts.name, email: db.t.contacts.email })
    .from(db.t.contacts)
    .where(where)
    .orderBy(db.t.contacts.name);
  return {
    options: rows.map((contact) => ({
      id: contact.id,
      label: contact.email ? `${contact.name} (${contact.email})` : contact.name,
    })),
  };
}

/** The candidate assets a form named, by id or hostname. */
export async function assetCandidatesNamed(
  db: CodexDb,
  contact: Contact,
  named: { id: number } | { hostname: string },
): Promise<Asset[]> {
  const t = db.t.assets;
  const which = "id" in named ? eq(t.id, named.id) : eq(t.hostname, named.hostname);
  return db.db
    .select()
    .from(t)
    .where(and(await assetCandidates(db, contact), which));
}

/** The candidate contacts a form named, by id or email. */
export async function contactCandidatesNamed(
  db: CodexDb,
  asset: Asset,
  linked: number[],
  named: { id: number } | { email: string },
): Promise<{ id: number }[]> {
  const t = db.t.contacts;
  const which = "id" in named ? eq(t.id, named.id) : eq(t.email, named.email);
  return db.db
    .select({ id: t.id })
    .from(t)
    .where(and(contactCandidates(db, asset, linked), which));
}

/** The contacts using an asset, by name. */
export function contactNames(db: CodexDb, contactIds: number[]) {
  if (contactIds.length === 0) return Promise.resolve([]);
  return db.db
    .select({ id: db.t.contacts.id, name: db.t.contacts.name })
    .from(db.t.contacts)
    .where(inArray(db.t.contacts.id, contactIds))
    .orderBy(db.t.contacts.name);
}

/** Links or unlinks one contact, through updateAsset so the audit log names both. */
export async function linkContact(
  db: CodexDb,
  asset: Asset,
  contactId: number,
  link: "add" | "remove",
  actor: Actor,
): Promise<void> {
  const current = (await contactsOfAssets(db, [asset.id])).get(asset.id) ?? [];
  const next = link === "add" ? [...new Set([...current, contactId])] : current.filter((id) => id !== contactId);
  if (next.length !== current.length) await updateAsset(db, asset, { contact_ids: next }, actor);
}
