import { z } from "zod";
import type { AcceptedBill } from "../../db/schema.ts";
import { type Bill, computedBillSchema } from "../engine/types.ts";

/** A month: `?year=&month=` of the bill routes, and the body of an acceptance. */
export const periodSchema = z
  .object({ year: z.coerce.number().int().min(2000).max(2100), month: z.coerce.number().int().min(1).max(12) })
  .strict();
export type Period = z.infer<typeof periodSchema>;

/** A month, this one when left out. */
export const optionalPeriod = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    month: z.coerce.number().int().min(1).max(12).optional(),
  })
  .strict();

export const acceptSchema = periodSchema.extend({ notes: z.string().trim().max(2000).optional() }).strict();

const acceptedSchema = z.object({
  invoice_number: z.string(),
  accepted_at: z.iso.datetime(),
  accepted_by: z.string(),
  notes: z.string().nullable(),
});

export const billSchema = computedBillSchema
  .extend({
    /** Set when this bill was accepted: it is then the stored snapshot, never recomputed. */
    accepted: acceptedSchema.nullable(),
  })
  .meta({ id: "Bill" });
export type BillView = z.infer<typeof billSchema>;

export const monthBillsSchema = z.object({
  year: z.number().int(),
  month: z.number().int(),
  items: z.array(billSchema),
  total_cents: z.number().int(),
});

export function fromSnapshot(accepted: AcceptedBill): BillView {
  return {
    ...(accepted.snapshot as unknown as Bill),
    accepted: {
      invoice_number: accepted.invoiceNumber,
      accepted_at: accepted.acceptedAt.toISOString(),
      accepted_by: accepted.acceptedBy,
      notes: accepted.notes,
    },
  };
}

/** A bill as a client may see it: without the internal record of overrides. */
export function forClient(bill: BillView): BillView {
  const { adjustments: _hidden, ...rest } = bill;
  return rest;
}

/** How far ahead the dashboard lists contracts that end. */
export const EXPIRING_WITHIN_DAYS = 60;

export const dashboardSchema = z
  .object({
    year: z.number().int(),
    month: z.number().int(),
    total_clients: z.number().int(),
    revenue_cents: z.number().int(),
    accepted_cents: z.number().int(),
    active_contracts: z.number().int(),
    expiring: z.array(
      z.object({
        account_number: z.string(),
        name: z.string(),
        plan: z.string().nullable(),
        contract_end: z.string(),
        days_left: z.number().int(),
      }),
    ),
    revenue_by_plan: z.array(
      z.object({ plan: z.string(), companies: z.number().int(), revenue_cents: z.number().int() }),
    ),
  })
  .meta({ id: "BillingDashboard" });
export type BillingDashboard = z.infer<typeof dashboardSchema>;
