import { z } from "zod";
import { OUTBOX_EVENTS, OUTBOX_STATUSES, type OutboxMessage } from "../../db/schema.ts";
import { idParam } from "../../shared/input.ts";
import type { MailSettings } from "../settings.ts";

export const outboxQuery = z
  .object({
    status: z.enum(OUTBOX_STATUSES).optional(),
    ticket: idParam.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const outboxParams = z.object({ id: idParam });

const outboxItem = z
  .object({
    id: z.number().int(),
    ticket_id: z.number().int().nullable(),
    event: z.enum(OUTBOX_EVENTS),
    to: z.string(),
    subject: z.string(),
    status: z.enum(OUTBOX_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: z.iso.datetime(),
    last_error: z.string().nullable(),
    sent_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    message_id: z.string(),
  })
  .meta({ id: "OutboxMessage" });

/** Whether each side of email is on, and where it points (never a password). */
export const mailStatusSchema = z
  .object({
    sending: z.boolean(),
    smtp: z.string().nullable(),
    reading: z.boolean(),
    imap: z.string().nullable(),
    from: z.string().nullable(),
  })
  .meta({ id: "MailStatus" });

export const outboxPageSchema = z
  .object({
    mail: mailStatusSchema,
    counts: z.object({
      pending: z.number().int(),
      sending: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
    }),
    items: z.array(outboxItem),
  })
  .meta({ id: "Outbox" });

export const outboxItemJson = (message: OutboxMessage): z.infer<typeof outboxItem> => ({
  id: message.id,
  ticket_id: message.ticketId,
  event: message.event,
  to: message.toAddress,
  subject: message.subject,
  status: message.status,
  attempts: message.attempts,
  next_attempt_at: message.nextAttemptAt.toISOString(),
  last_error: message.lastError,
  sent_at: message.sentAt?.toISOString() ?? null,
  created_at: message.createdAt.toISOString(),
  message_id: message.messageId,
});

export const mailStatus = (settings: MailSettings): z.infer<typeof mailStatusSchema> => ({
  sending: settings.smtp !== null,
  smtp: settings.smtp?.display ?? null,
  reading: settings.imap !== null,
  imap: settings.imap?.display ?? null,
  from: settings.from?.address ?? null,
});

/** Where email stands, as the admin page and the mail page show it. */
export interface MailOverview {
  sending: boolean;
  smtp: string | null;
  reading: boolean;
  imap: string | null;
  from: string | null;
  counts: Record<"pending" | "sending" | "sent" | "failed", number>;
  /** This process's last poll of the mailbox (the mail page only). */
  lastPoll: { at: Date; read: number; error: string | null } | null;
}
