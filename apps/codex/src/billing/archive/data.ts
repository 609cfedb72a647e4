import { z } from "zod";
import { and, desc, eq, gt, gte, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { badRequest } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import type { AcceptedBill } from "../db/schema.ts";

/**
 * The archive of accepted bills: search by company, invoice number and a range of months,
 * newest month first, in keyset pages (year, month, account number, id).
 */

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use YYYY-MM.");

export const archiveQuery = z
  .object({
    /** An account number, or part of a company's name. */
    company: z.string().trim().max(200).optional(),
    /** Part of an invoice number. */
    invoice: z.string().trim().max(100).optional(),
    from: yearMonth.optional(),
    to: yearMonth.optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    month: z.coerce.number().int().min(1).max(12).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type ArchiveQuery = z.infer<typeof archiveQuery>;

export interface ArchiveRow {
  invoice_number: string;
  account_number: string;
  company_name: string;
  year: number;
  month: number;
  total_cents: number;
  accepted_at: string;
  accepted_by: string;
  notes: string | null;
}

type Key = [number, number, string, number];

function encode(k: Key): string {
  return Buffer.from(JSON.stringify(k)).toString("base64url");
}

function decode(cursor: string): Key {
  try {
    const k = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Key;
    if (
      Array.isArray(k) &&
      k.length === 4 &&
      Number.isInteger(k[0]) &&
      Number.isInteger(k[1]) &&
      typeof k[2] === "string" &&
      Number.isInteger(k[3])
    )
      return k;
  } catch {
    // falls through to the error below
  }
  throw badRequest("The cursor is not one this API gave out.", [{ field: "cursor", message: "Invalid cursor." }]);
}

/** LIKE pattern for "contains", with the user's % and _ taken literally. */
const contains = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export async function searchArchive(
  h: CodexDb,
  q: ArchiveQuery,
  scopeCompanyId: number | null,
): Promise<{ items: ArchiveRow[]; next_cursor: string | null }> {
  const a = h.t.acceptedBills;
  const c = h.t.companies;
  const conds: (SQL | undefined)[] = [scopeCompanyId === null ? undefined : eq(a.companyId, scopeCompanyId)];
  if (q.company)
    conds.push(
      or(
        sql`lower(${a.accountNumber}) = ${q.company.toLowerCase()}`,
        sql`lower(${c.name}) like ${contains(q.company)} escape '\\'`,
      ),
    );
  if (q.invoice) conds.push(sql`lower(${a.invoiceNumber}) like ${contains(q.invoice)} escape '\\'`);
  if (q.year) conds.push(eq(a.year, q.year));
  if (q.month) conds.push(eq(a.month, q.month));
  if (q.from) {
    const [y, m] = q.from.split("-").map(Number) as [number, number];
    conds.push(or(gt(a.year, y), and(eq(a.year, y), gte(a.month, m))));
  }
  if (q.to) {
    const [y, m] = q.to.split("-").map(Number) as [number, number];
    conds.push(or(lt(a.year, y), and(eq(a.year, y), lte(a.month, m))));
  }
  if (q.cursor) {
    const [y, m, acct, id] = decode(q.cursor);
    conds.push(
      or(
        lt(a.year, y),
        and(eq(a.year, y), lt(a.month, m)),
        and(eq(a.year, y), eq(a.month, m), gt(a.accountNumber, acct)),
        and(eq(a.year, y), eq(a.month, m), eq(a.accountNumber, acct), gt(a.id, id)),
      ),
    );
  }
  const rows = await h.db
    .select({ bill: a, companyName: c.name })
    .from(a)
    .innerJoin(c, eq(c.id, a.companyId))
    .where(and(...conds))
    .orderBy(desc(a.year), desc(a.month), a.accountNumber, a.id)
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1]?.bill;
  return {
    items: page.map((r) => archiveRow(r.bill, r.companyName)),
    next_cursor: more && last ? encode([last.year, last.month, last.accountNumber, last.id]) : null,
  };
}

export function archiveRow(a: AcceptedBill, companyName: string): ArchiveRow {
  return {
    invoice_number: a.invoiceNumber,
    account_number: a.accountNumber,
    company_name: companyName,
    year: a.year,
    month: a.month,
    total_cents: a.totalCents,
    accepted_at: a.acceptedAt.toISOString(),
    accepted_by: a.acceptedBy,
    notes: a.notes,
  };
}

export async function acceptedByInvoice(h: CodexDb, invoice: string): Promise<AcceptedBill | null> {
  const [row] = await h.db.select().from(h.t.acceptedBills).where(eq(h.t.acceptedBills.invoiceNumber, invoice));
  return row ?? null;
}
