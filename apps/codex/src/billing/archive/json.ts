import { z } from "zod";
import type { AcceptedBill } from "../../db/schema.ts";

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

/** The `{invoice}` of an accepted bill's paths: its invoice number. */
export const invoiceParams = z.object({ invoice: z.string() });

export const archiveRowSchema = z
  .object({
    invoice_number: z.string(),
    account_number: z.string(),
    company_name: z.string(),
    year: z.number().int(),
    month: z.number().int(),
    total_cents: z.number().int(),
    accepted_at: z.iso.datetime(),
    accepted_by: z.string(),
    notes: z.string().nullable(),
  })
  .meta({ id: "AcceptedBill" });
export type ArchiveRow = z.infer<typeof archiveRowSchema>;

export const archivePageSchema = z.object({ items: z.array(archiveRowSchema), next_cursor: z.string().nullable() });

export function archiveRow(accepted: AcceptedBill, companyName: string): ArchiveRow {
  return {
    invoice_number: accepted.invoiceNumber,
    account_number: accepted.accountNumber,
    company_name: companyName,
    year: accepted.year,
    month: accepted.month,
    total_cents: accepted.totalCents,
    accepted_at: accepted.acceptedAt.toISOString(),
    accepted_by: accepted.acceptedBy,
    notes: accepted.notes,
  };
}
