import { z } from "zod";
import { INBOUND_OUTCOMES, type InboundMessageRow } from "../../db/schema.ts";
import { accountNumberSchema, idParam } from "../../shared/input.ts";

export const triageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export const triageParams = z.object({ id: idParam });
export const assignBody = z.object({ company: accountNumberSchema }).strict();

const triageItem = z
  .object({
    id: z.number().int(),
    from: z.string().nullable(),
    from_name: z.string().nullable(),
    subject: z.string(),
    body: z.string().meta({ description: "The message as text (HTML reduced to text; never HTML)" }),
    reason: z.string().nullable(),
    outcome: z.enum(INBOUND_OUTCOMES),
    ticket_id: z.number().int().nullable(),
    received_at: z.iso.datetime().nullable(),
    read_at: z.iso.datetime(),
  })
  .meta({ id: "TriageMessage" });

export const triageListSchema = z.object({ items: z.array(triageItem) }).meta({ id: "Triage" });
export const assignedSchema = z.object({ ticket_id: z.number().int(), message: z.string() });

export const triageJson = (row: InboundMessageRow): z.infer<typeof triageItem> => ({
  id: row.id,
  from: row.fromAddress,
  from_name: row.fromName,
  subject: row.subject,
  body: row.body ?? "",
  reason: row.reason,
  outcome: row.outcome,
  ticket_id: row.ticketId,
  received_at: row.receivedAt?.toISOString() ?? null,
  read_at: row.createdAt.toISOString(),
});
