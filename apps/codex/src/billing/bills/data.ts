import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { transaction, isUniqueViolation } from "@hivematrix/lib/db";
import { conflict, validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import type { AcceptedBill, Company } from "../db/schema.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import { writeCsv, type CsvColumns } from "../shared/csv.ts";
import { computeBill, type Bill } from "./engine.ts";
import { loadBillInputs } from "./load.ts";

export const periodSchema = z
  .object({ year: z.coerce.number().int().min(2000).max(2100), month: z.coerce.number().int().min(1).max(12) })
  .strict();
export const acceptSchema = periodSchema.extend({ notes: z.string().trim().max(2000).optional() }).strict();

export interface BillView extends Bill {
  /** Set when this bill was accepted: it is then the stored snapshot, never recomputed. */
  accepted: { invoice_number: string; accepted_at: string; accepted_by: string; notes: string | null } | null;
}

export function fromSnapshot(a: AcceptedBill): BillView {
  return {
    ...(a.snapshot as unknown as Bill),
    accepted: {
      invoice_number: a.invoiceNumber,
      accepted_at: a.acceptedAt.toISOString(),
      accepted_by: a.acceptedBy,
      notes: a.notes,
    },
  };
}

async function acceptedFor(
  h: CodexDb,
  year: number,
  month: number,
  companyIds: number[] | null,
): Promise<Map<number, AcceptedBill>> {
  const t = h.t.acceptedBills;
  const rows = await h.db
    .select()
    .from(t)
    .where(and(eq(t.year, year), eq(t.month, month), companyIds ? inArray(t.companyId, companyIds) : undefined));
  return new Map(rows.map((r) => [r.companyId, r]));
}

/** A company's bill for a month: the accepted snapshot if there is one, else computed now. */
export async function billFor(h: CodexDb, company: Company, year: number, month: number): Promise<BillView> {
  const accepted = (await acceptedFor(h, year, month, [company.id])).get(company.id);
  if (accepted) return fromSnapshot(accepted);
  const input = (await loadBillInputs(h, year, month, [company])).get(company.id)!;
  return { ...computeBill(input), accepted: null };
}

/** Every company's bill for a month (or the given companies'), in one pass. */
export async function billsFor(
  h: CodexDb,
  year: number,
  month: number,
  only: Company[] | null = null,
): Promise<BillView[]> {
  const inputs = await loadBillInputs(h, year, month, only);
  const accepted = await acceptedFor(h, year, month, only ? only.map((c) => c.id) : null);
  return [...inputs.values()].map((input) => {
    const a = accepted.get(input.company.id);
    return a ? fromSnapshot(a) : { ...computeBill(input), accepted: null };
  });
}

/** Refuses a month that has not started: its bills cannot be accepted yet. */
export function assertMonthStarted(year: number, month: number, now = new Date()): void {
  if (Date.UTC(year, month - 1, 1) > Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) {
    throw validationFailed([{ field: "month", message: "A month that has not started cannot be billed yet." }]);
  }
}

/** Stores a computed bill as its immutable snapshot, with its audit row, in one transaction. */
async function storeSnapshot(
  h: CodexDb,
  company: { id: number; accountNumber: string },
  snapshot: Bill,
  notes: string | null,
  actor: Actor,
  now: Date,
): Promise<AcceptedBill> {
  return transaction(h, async (tx) => {
    const [row] = await tx
      .insert(h.t.acceptedBills)
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
    await writeAudit(tx, h, actor, [
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
  h: CodexDb,
  company: Company,
  year: number,
  month: number,
  notes: string | null,
  actor: Actor,
): Promise<BillView> {
  const now = new Date();
  assertMonthStarted(year, month, now);
  const bill = await billFor(h, company, year, month);
  if (bill.accepted)
    throw conflict(
      `The ${bill.period} bill of ${company.accountNumber} was already accepted as ${bill.accepted.invoice_number}.`,
    );
  const { accepted: _a, ...snapshot } = bill;
  try {
    return fromSnapshot(await storeSnapshot(h, company, snapshot, notes, actor, now));
  } catch (e) {
    if (isUniqueViolation(e))
      throw conflict(`The ${snapshot.period} bill of ${company.accountNumber} was already accepted.`);
    throw e;
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
  h: CodexDb,
  year: number,
  month: number,
  actor: Actor,
  now = new Date(),
): Promise<AcceptMonthOutcome> {
  assertMonthStarted(year, month, now);
  const inputs = await loadBillInputs(h, year, month, null);
  const already = await acceptedFor(h, year, month, null);
  const out: AcceptMonthOutcome = { accepted: [], skipped: 0, empty: 0, failed: [] };
  for (const input of inputs.values()) {
    if (already.has(input.company.id)) {
      out.skipped++;
      continue;
    }
    const bill = computeBill(input);
    if (bill.lines.every((l) => l.amount_cents === 0)) {
      out.empty++;
      continue;
    }
    try {
      await storeSnapshot(h, input.company, bill, null, actor, now);
      out.accepted.push(bill.invoice_number);
    } catch (e) {
      if (isUniqueViolation(e)) out.skipped++;
      else
        out.failed.push({
          account_number: input.company.accountNumber,
          error: e instanceof Error ? e.message : String(e),
        });
    }
  }
  return out;
}

/** A bill as a client may see it: without the internal record of overrides. */
export function forClient(bill: BillView): BillView {
  const { adjustments: _hidden, ...rest } = bill;
  return rest;
}

const BILL_COLUMNS: CsvColumns = [
  ["invoice_number", "text"],
  ["account_number", "text"],
  ["company", "text"],
  ["period", "text"],
  ["status", "text"],
  ["category", "text"],
  ["description", "text"],
  ["quantity", "number"],
  ["unit_price", "money"],
  ["amount", "money"],
];

/** A month's bills as CSV: one row per bill line, with the invoice number and status, then the bill's total. */
export function billsCsv(bills: BillView[]): string {
  return writeCsv(
    BILL_COLUMNS,
    bills.flatMap((b) => {
      const head = {
        invoice_number: b.invoice_number,
        account_number: b.account_number,
        company: b.company_name,
        period: b.period,
        status: b.accepted ? "accepted" : "draft",
      };
      return [
        ...b.lines.map((l) => ({
          ...head,
          category: l.category,
          description: l.description,
          quantity: l.quantity,
          unit_price: l.unit_cents,
          amount: l.amount_cents,
        })),
        { ...head, category: "total", description: "Total", amount: b.totals.total_cents },
      ];
    }),
  );
}
