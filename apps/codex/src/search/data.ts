import { inArray, type SQL, sql } from "drizzle-orm";
import { accountsOf } from "../companies/data.ts";
import type { CodexDb } from "../deps.ts";
import type { SearchQuery, SearchResult } from "./json.ts";

/**
 * Full-text search: FTS5 tables kept by triggers on SQLite, GIN expression indexes on
 * Postgres (both created by migration 0001_search, whose column lists are these).
 */
export const SEARCH_COLUMNS = {
  companies: ["account_number", "name", "domain", "description"],
  contacts: ["name", "email", "job_title", "mobile_phone", "work_phone"],
  assets: ["hostname", "serial_number", "description", "last_logged_in_user", "internal_ip", "operating_system"],
  tickets: ["ticket_number", "subject", "description", "requester_email"],
} as const;
export type SearchEntity = keyof typeof SEARCH_COLUMNS;

/** The words of a query (letters and digits), lower-cased; at most 8. */
export function searchTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

function pgDocument(entity: SearchEntity): string {
  const text = SEARCH_COLUMNS[entity].map((c) => `coalesce(${c}, '')`).join(" || ' ' || ");
  // Must stay identical to the indexed expression in the Postgres migration.
  return `to_tsvector('simple'::regconfig, regexp_replace(${text}, '[^[:alnum:]]+', ' ', 'g'))`;
}

/** Every word must appear, each as a prefix (so "acm" finds "Acme"). */
function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t}"*`).join(" ");
}
function tsQuery(terms: string[]): string {
  return terms.map((t) => `${t}:*`).join(" & ");
}

/** A WHERE condition on `<entity>.id` matching the query, or null for a query with no words. */
export function matchCondition(db: CodexDb, entity: SearchEntity, q: string): SQL | null {
  const terms = searchTerms(q);
  if (terms.length === 0) return null;
  if (db.engine === "sqlite")
    return sql
      .raw(`${entity}.id IN (SELECT rowid FROM ${entity}_fts WHERE ${entity}_fts MATCH `)
      .append(sql`${ftsQuery(terms)})`);
  return sql.raw(`${pgDocument(entity)} @@ to_tsquery('simple', `).append(sql`${tsQuery(terms)})`);
}

/**
 * Ids of the newest records matching `q` (highest id first), at most `limit`, optionally only
 * of one company (`companyId`; for contacts, through their company links).
 */
export async function searchIds(
  db: CodexDb,
  entity: SearchEntity,
  q: string,
  limit: number,
  companyId: number | null,
): Promise<number[]> {
  const terms = searchTerms(q);
  if (terms.length === 0) return [];
  if (companyId !== null && !Number.isInteger(companyId)) throw new Error("companyId must be an integer");
  const scope =
    companyId === null
      ? ""
      : entity === "companies"
        ? ` AND t.id = ${companyId}`
        : entity === "contacts"
          ? ` AND t.id IN (SELECT contact_id FROM contact_companies WHERE company_id = ${companyId})`
          : ` AND t.company_id = ${companyId}`;
  if (db.engine === "sqlite") {
    const join = companyId === null ? "" : ` JOIN ${entity} t ON t.id = f.rowid`;
    const rows = db
      .sqlite!.query<{ id: number }, [string, number]>(
        `SELECT f.rowid AS id FROM ${entity}_fts f${join} WHERE f.${entity}_fts MATCH ?${scope}` +
          " ORDER BY f.rowid DESC LIMIT ?",
      )
      .all(ftsQuery(terms), limit);
    return rows.map((r) => r.id);
  }
  const rows = await db.pg!.unsafe<{ id: number }[]>(
    `SELECT t.id FROM ${entity} t WHERE ${pgDocument(entity)} @@ to_tsquery('simple', $1)${scope}` +
      " ORDER BY t.id DESC LIMIT $2",
    [tsQuery(terms), limit],
  );
  return rows.map((r) => Number(r.id));
}

/** Rows in the order of `ids` (the newest match first). */
function inOrder<T extends { id: number }>(rows: T[], ids: number[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Global search: the newest matches of each kind, confined to a client's company (`scope`). */
export async function globalSearch(db: CodexDb, query: SearchQuery, scope: number | null): Promise<SearchResult> {
  const wanted = (entity: SearchEntity) => !query.types || query.types.includes(entity);
  const ids = async (entity: SearchEntity) =>
    wanted(entity) ? searchIds(db, entity, query.q, query.limit, scope) : [];
  const [companyIds, contactIds, assetIds, ticketIds] = [
    await ids("companies"),
    await ids("contacts"),
    await ids("assets"),
    await ids("tickets"),
  ];
  const { companies, contacts, assets, tickets } = db.t;
  const found = async <T extends { id: number }>(matches: number[], rows: () => Promise<T[]>) =>
    matches.length ? inOrder(await rows(), matches) : [];
  const companyRows = await found(companyIds, () =>
    db.db.select().from(companies).where(inArray(companies.id, companyIds)),
  );
  const contactRows = await found(contactIds, () =>
    db.db.select().from(contacts).where(inArray(contacts.id, contactIds)),
  );
  const assetRows = await found(assetIds, () => db.db.select().from(assets).where(inArray(assets.id, assetIds)));
  const ticketRows = await found(ticketIds, () => db.db.select().from(tickets).where(inArray(tickets.id, ticketIds)));
  const accounts = await accountsOf(
    db,
    [...assetRows, ...ticketRows].map((row) => row.companyId),
  );
  return {
    query: query.q,
    companies: companyRows.map((company) => ({
      account_number: company.accountNumber,
      name: company.name,
      domain: company.domain,
    })),
    contacts: contactRows.map((contact) => ({
      id: contact.id,
      name: contact.name,
      email: contact.email,
      job_title: contact.jobTitle,
    })),
    assets: assetRows.map((asset) => ({
      id: asset.id,
      hostname: asset.hostname,
      asset_type: asset.assetType,
      company: accounts.get(asset.companyId) ?? null,
    })),
    tickets: ticketRows.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      company: accounts.get(ticket.companyId) ?? null,
      updated_at: ticket.updatedAt.toISOString(),
    })),
  };
}
