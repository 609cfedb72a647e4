import { z } from "zod";
import { type FreshserviceWriteback, WRITEBACK_KINDS } from "../../db/schema.ts";
import { idParam } from "../../shared/input.ts";

/** A write-back Freshservice did not take, as staff see it on the ticket (page and API). */
export const writeBackFailureSchema = z.object({
  id: z.number().int(),
  /** A reply, a private note, or an update of status, priority or assignee. */
  kind: z.enum(WRITEBACK_KINDS),
  entry_id: z.number().int().nullable(),
  /** "not sent to Freshservice: <reason>". */
  message: z.string(),
  attempts: z.number().int(),
  /** Freshservice's HTTP status, when it answered. */
  status: z.number().int().nullable(),
  failed_at: z.iso.datetime(),
});

/** The ticket's changes on their way to Freshservice, and those it refused (each retryable). */
export const writeBackStateSchema = z
  .object({ waiting: z.number().int(), failed: z.array(writeBackFailureSchema) })
  .meta({ id: "FreshserviceWriteBack" });
export type WriteBackState = z.infer<typeof writeBackStateSchema>;

export const notSentMessage = (reason: string | null) => `not sent to Freshservice: ${reason ?? "unknown reason"}`;

export function writeBackStateJson(rows: { waiting: FreshserviceWriteback[]; failed: FreshserviceWriteback[] }) {
  return {
    waiting: rows.waiting.length,
    failed: rows.failed.map((row) => ({
      id: row.id,
      kind: row.kind,
      entry_id: row.entryId,
      message: notSentMessage(row.lastError),
      attempts: row.attempts,
      status: row.lastStatus,
      failed_at: row.updatedAt.toISOString(),
    })),
  };
}

export const writeBackParams = z.object({ id: idParam, writeback_id: idParam });

export const retriedSchema = z.object({
  id: z.number().int(),
  ticket_id: z.number().int(),
  state: z.literal("pending"),
  message: z.string(),
});
