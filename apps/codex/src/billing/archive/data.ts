import { and, desc, eq, gt, gte, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { badRequest, notFound } from "@hivematrix/lib/errors";
import type { AcceptedBill } from "../../db/schema.ts";
import type { CodexDb, Deps } from "../../deps.ts";
import { assertVisible } from "../../shared/client-scope.ts";
import { isClient } from "../../shared/request.ts";
import { type BillView, forClient, fromSnapshot } from "../bills/json.ts";
import { type ArchiveQuery, type ArchiveRow, archiveRow } from "./json.ts";

/**
 * The archive of accepted bills: search by company, invoice number and a range of months,
 * newest month first, in keyset pages (year, month, account number, id).
 */

type Key = [number, number, string, number];

function encode(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decode(cursor: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Key;
    if (
      Array.isArray(key) &&
      key.length === 4 &&
      Number.isInteger(key[0]) &&
      Number.isInteger(key[1]) &&
      typeof key[2] === "string" &&
      Number.isInteger(key[3])
    )
      return key;
  } catch {
    // falls through to the error below
  }
  throw badRequest("The cursor is not one this API gave out.", [{ field: "cursor", message: "Invalid cursor." }]);
}

/** LIKE pattern for "contains", with the user's % and _ taken literally. */
const contains = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (special) => `\\${special}`)}%`;

/** The search's conditions besides the cursor. */
function filters(db: CodexDb, query: ArchiveQuery, scopeCompanyId: number | null): (SQL | undefined)[] {
  const bills = db.t.acceptedBills;
  const conditions: (SQL | undefined)[] = [scopeCompanyId === null ? undefined : eq(bills.companyId, scopeCompanyId)];
  if (query.company)
    conditions.push(
      or(
        sql`lower(${bills.accountNumber}) = ${query.company.toLowerCase()}`,
        sql`lower(${db.t.companies.name}) like ${contains(query.company)} escape '\\'`,
      ),
    );
  if (query.invoice) conditions.push(sql`lower(${bills.invoiceNumber}) like ${contains(query.invoice)} escape '\\'`);
  if (query.year) conditions.push(eq(bills.year, query.year));
  if (query.month) conditions.push(eq(bills.month, query.month));
  if (query.from) {
    const [year, month] = query.from.split("-").map(Number) as [number, number];
    conditions.push(or(gt(bills.year, year), and(eq(bills.year, year), gte(bills.month, month))));
  }
  if (query.to) {
    const [year, month] = query.to.split("-").map(Number) as [number, number];
    conditions.push(or(lt(bills.year, year), and(eq(bills.year, year), lte(bills.month, month))));
  }
  return conditions;
}

export async function searchArchive(
  db: CodexDb,
  query: ArchiveQuery,
  scopeCompanyId: number | null,
): Promise<{ items: ArchiveRow[]; next_cursor: string | null }> {
  const bills = db.t.acceptedBills;
  const companies = db.t.companies;
  const conditions = filters(db, query, scopeCompanyId);
  if (query.cursor) {
    const [year, month, acct, id] = decode(query.cursor);
    const samePeriod = and(eq(bills.year, year), eq(bills.month, month));
    conditions.push(
      or(
        lt(bills.year, year),
        and(eq(bills.year, year), lt(bills.month, month)),
        and(samePeriod, gt(bills.accountNumber, acct)),
        and(samePeriod, eq(bills.accountNumber, acct), gt(bills.id, id)),
      ),
    );
  }
  const rows = await db.db
    .select({ bill: bills, companyName: companies.name })
    .from(bills)
    .innerJoin(companies, eq(companies.id, bills.companyId))
    .where(and(...conditions))
    .orderBy(desc(bills.year), desc(bills.month), bills.accountNumber, bills.id)
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1]?.bill;
  return {
    items: page.map((row) => archiveRow(row.bill, row.companyName)),
    next_cursor: more && last ? encode([last.year, last.month, last.accountNumber, last.id]) : null,
  };
}

async function acceptedByInvoice(db: CodexDb, invoice: string): Promise<AcceptedBill | null> {
  const [row] = await db.db.select().from(db.t.acceptedBills).where(eq(db.t.acceptedBills.invoiceNumber, invoice));
  return row ?? null;
}

/** An accepted bill's snapshot, if the request may see it (404 otherwise); without the overrides for a client. */
export async function visibleInvoice(c: Context<AppEnv>, deps: Pick<Deps, "db">, invoice: string): Promise<BillView> {
  const row = await acceptedByInvoice(deps.db, invoice);
  if (!row) throw notFound("No such invoice.");
  await assertVisible(c, deps, row.companyId, "invoice");
  const bill = fromSnapshot(row);
  return isClient(c) ? forClient(bill) : bill;
}
