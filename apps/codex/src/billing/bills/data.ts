import { and, eq, inArray } from "drizzle-orm";
import { isUniqueViolation, transaction } from "@hivematrix/lib/db";
import { conflict } from "@hivematrix/lib/errors";
import type { AcceptedBill, Company } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { computeBill } from "../engine/compute.ts";
import type { Bill } from "../engine/types.ts";
import { assertMonthStarted } from "../months.ts";
import { loadBillInputs } from "./data-inputs.ts";
import { type BillView, fromSnapshot } from "./json.ts";

async function acceptedFor(
  db: CodexDb,
  year: number,
  month: number,
  companyIds: number[] | null,
): Promise<Map<number, AcceptedBill>> {
  const table = db.t.acceptedBills;
  const rows = await db.db
    .select()
    .from(table)
    .where(
      and(eq(table.year, year), eq(table.month, month), companyIds ? inArray(table.companyId, companyIds) : undefined),
    );
  return new Map(rows.map((row) => [row.companyId, row]));
}

/** A company's bill for a month: the accepted snapshot if there is one, else computed now. */
export async function billFor(db: CodexDb, company: Company, year: number, month: number): Promise<BillView> {
  const accepted = (await acceptedFor(db, year, month, [company.id])).get(company.id);
  if (accepted) return fromSnapshot(accepted);
  const input = (await loadBillInputs(db, year, month, [company])).get(company.id)!;
  return { ...computeBill(input), accepted: null };
}

/** Every company's bill for a month (or the given companies'), in one pass. */
export async function billsFor(
  db: CodexDb,
  year: number,
  month: number,
  only: Company[] | null = null,
): Promise<BillView[]> {
  const inputs = await loadBillInputs(db, year, month, only);
  const accepted = await acceptedFor(db, year, month, only ? only.map((company) => company.id) : null);
  return [...inputs.values()].map((input) => {
    const snapshot = accepted.get(input.company.id);
    return snapshot ? fromSnapshot(snapshot) : { ...computeBill(input), accepted: null };
  });
}

/** The companies a request's bills are confined to: all (null), or a client's own. */
export async function companiesWithId(db: CodexDb, companyId: number | null): Promise<Company[] | null> {
  if (companyId === null) return null;
  return db.db.select().from(db.t.companies).where(eq(db.t.companies.id, companyId));
}

/** Stores a computed bill as its immutable snapshot, with its audit row, in one transaction. */
async function storeSnapshot(
  db: CodexDb,
  company: { id: number; accountNumber: string },
  snapshot: Bill,
  notes: string | null,
  actor: Actor,
  now: Date,
): Promise<AcceptedBill> {
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(db.t.acceptedBills)
      .values({
        companyId: company.id,
        accountNumber: company.accountNumber,
        invoiceNumber: snapshot.invoice_number,
        year: snapshot.year,
        month: snapshot.month,
        totalCents: snapshot.totals.total_cents,
        snapshot: snapshot as unknown as Record<string, unknown>,
        notes,
        acceptedBy: actor.name,
        acceptedAt: now,
      })
      .returning();
    await writeAudit(tx, db, actor, [
      {
        action: "create",
        entity: "accepted_bill",
        entityId: row!.id,
        companyId: company.id,
        after: { invoice_number: row!.invoiceNumber, total_cents: row!.totalCents },
      },
    ]);
    return row!;
  });
}

/** Accepts a bill: stores an immutable snapshot under invoice number ACCT-YYYYMM. */
export async function acceptBill(
  db: CodexDb,
  company: Company,
  year: number,
  month: number,
  notes: string | null,
  actor: Actor,
): Promise<BillView> {
  const now = new Date();
  assertMonthStarted(year, month, now);
  const bill = await billFor(db, company, year, month);
  if (bill.accepted)
    throw conflict(
      `The ${bill.period} bill of ${company.accountNumber} was already accepted as ${bill.accepted.invoice_number}.`,
    );
  const { accepted: _accepted, ...snapshot } = bill;
  try {
    return fromSnapshot(await storeSnapshot(db, company, snapshot, notes, actor, now));
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(`The ${snapshot.period} bill of ${company.accountNumber} was already accepted.`);
    throw error;
  }
}

export interface AcceptMonthOutcome {
  /** Invoice numbers accepted by this call. */
  accepted: string[];
  /** Bills that were accepted already (also by someone else while this ran). */
  skipped: number;
  /** Bills with nothing to charge (every line, if any, at zero): no invoice is made for those. */
  empty: number;
  failed: { account_number: string; error: string }[];
}

/**
 * Accepts every company's bill for a month that is not accepted yet, each in its own
 * transaction, so running it again (or in two processes at once) never duplicates a bill:
 * the unique (company, year, month) index turns a second acceptance into a skip.
 */
export async function acceptMonth(
  db: CodexDb,
  year: number,
  month: number,
  actor: Actor,
  now = new Date(),
): Promise<AcceptMonthOutcome> {
  assertMonthStarted(year, month, now);
  const inputs = await loadBillInputs(db, year, month, null);
  const already = await acceptedFor(db, year, month, null);
  const outcome: AcceptMonthOutcome = { accepted: [], skipped: 0, empty: 0, failed: [] };
  for (const input of inputs.values()) {
    if (already.has(input.company.id)) {
      outcome.skipped++;
      continue;
    }
    const bill = computeBill(input);
    if (bill.lines.every((line) => line.amount_cents === 0)) {
      outcome.empty++;
      continue;
    }
    try {
      await storeSnapshot(db, input.company, bill, null, actor, now);
      outcome.accepted.push(bill.invoice_number);
    } catch (error) {
      if (isUniqueViolation(error)) outcome.skipped++;
      else
        outcome.failed.push({
          account_number: input.company.accountNumber,
          error: error instanceof Error ? error.message : String(error),
        });
    }
  }
  return outcome;
}
