import { transaction } from "@hivematrix/lib/db";
import type { Ticket } from "../../db/schema.ts";
import type { AttachmentStore, CodexDb } from "../../deps.ts";
import type { Actor } from "../../shared/data-audit.ts";
import type { Tx } from "../../shared/data-common.ts";
import { insertAttachments } from "../../tickets/attachments/data.ts";
import { keepUploads, type StoredFile } from "../../tickets/attachments/keep.ts";
import { createTicket } from "../../tickets/data.ts";
import { addEntry } from "../../tickets/data-entries.ts";
import type { TicketEvents } from "../../tickets/events.ts";
import { ticketCreate } from "../../tickets/json.ts";
import { MAX_TICKET_ID, ticketOfMessageId } from "../addresses.ts";
import { leaveAlone, type OwnIdentity } from "./auto.ts";
import {
  claimInbound,
  type InboundOutcome,
  linkTicket,
  type MailboxKey,
  recordOutcome,
  ticketOfKnownMessage,
} from "./data.ts";
import { companyOfSender, existingTickets, type ReplyAuthor, replyAuthor } from "./data-match.ts";
import { discardMailFiles, receiveMailFiles } from "./files.ts";
import type { InboundMail, MailAttachment } from "./parse.ts";
import { trimQuoted } from "./quotes.ts";

/** What inbound processing needs: the database, the outbox's notifier, who "we" are, and where files go. */
export interface InboundContext {
  db: CodexDb;
  events: TicketEvents | null;
  own: OwnIdentity;
  attachments: AttachmentStore;
}

export interface Processed {
  outcome: InboundOutcome;
  ticketId?: number | null;
  reason?: string | null;
  /** Kept for triage only. */
  body?: string | null;
}

/** The text a ticket, reply or triage entry gets, with a line naming the email's files it does not keep. */
export function withAttachmentNote(text: string, files: MailAttachment[], why: string): string {
  if (files.length === 0) return text;
  const names = files.map((file) => `${file.filename} (${Math.ceil(file.size / 1024)} KB)`).join(", ");
  return `${text}\n\n[Attachments in the email, ${why}: ${names}]`.trim();
}

/** The ticket a reply belongs to (our Message-IDs it quotes, then `[#N]` in its subject) and whether its sender may add to it. */
async function replyTarget(
  tx: Tx,
  context: InboundContext,
  mail: InboundMail & { from: { address: string } },
): Promise<{ ticket: Ticket; author: ReplyAuthor } | { refused: string | null }> {
  const ids: number[] = [];
  for (const messageId of mail.threadIds) {
    const id =
      ticketOfMessageId(messageId, context.own.messageIdDomain) ??
      (await ticketOfKnownMessage(tx, context.db, messageId));
    if (id !== null) ids.push(id);
  }
  const tagged = /\[#(\d{1,10})\]/.exec(mail.subject);
  if (tagged && Number(tagged[1]) <= MAX_TICKET_ID) ids.push(Number(tagged[1]));
  const tickets = await existingTickets(tx, context.db, [...new Set(ids)]);
  for (const id of new Set(ids)) {
    const ticket = tickets.find((candidate) => candidate.id === id);
    if (!ticket) continue;
    const author = await replyAuthor(tx, context.db, ticket, mail.from.address);
    if (author) return { ticket, author };
  }
  return { refused: tickets.length ? `the sender is not on ticket #${tickets[0]!.id}` : null };
}

/**
 * The outbox's listener, told first that the message's row belongs to the ticket it opens: the
 * acknowledgement then names the sender's own Message-ID, and joins their thread.
 */
function linkingEvents(context: InboundContext, rowId: number): TicketEvents {
  return {
    async onChange(tx, event, actor) {
      if (event.kind === "created") await linkTicket(tx, context.db, rowId, event.ticket.id);
      await context.events?.onChange(tx, event, actor);
    },
  };
}

/** The email's kept files, and those it carried that were not (named in the text instead). */
interface DecideFiles {
  stored: StoredFile[];
  notKept: MailAttachment[];
}

const NOT_KEPT = "not kept (over the size limit or too many)";
const NOT_STORED = "not stored until the message has a ticket";

async function decide(
  tx: Tx,
  context: InboundContext,
  mail: InboundMail,
  rowId: number,
  files: DecideFiles,
): Promise<Processed> {
  const left = leaveAlone(mail, context.own);
  if (left) return { outcome: "ignored", reason: left };
  const triageText = withAttachmentNote(mail.text, mail.attachments, NOT_STORED);
  const from = mail.from;
  if (!from) return { outcome: "triage", reason: "the message has no sender address", body: triageText };
  const actor: Actor = { name: `email:${from.address}` };
  const target = await replyTarget(tx, context, { ...mail, from });
  if ("ticket" in target) {
    const { ticket, author } = target;
    const body = withAttachmentNote(trimQuoted(mail.text), files.notKept, NOT_KEPT) || "(no text)";
    const authorName = from.name ?? author.name ?? from.address;
    const entry = {
      kind: "reply" as const,
      body,
      authorName,
      authorEmail: from.address,
      incoming: author.kind !== "agent",
    };
    const kept = { stored: files.stored, uploaderId: uploaderOf(from).id };
    await addEntry(context.db, ticket, entry, actor, { events: context.events, files: kept });
    return { outcome: "reply", ticketId: ticket.id };
  }
  const match = await companyOfSender(tx, context.db, from.address);
  const refused = target.refused ? `${target.refused}; ` : "";
  if (!match.company) return { outcome: "triage", reason: `${refused}${match.reason}`, body: triageText };
  const input = ticketCreate.safeParse({
    company: match.company.accountNumber,
    subject: mail.subject || "(no subject)",
    description: withAttachmentNote(mail.text, files.notKept, NOT_KEPT),
    requester_id: match.contact?.id,
    requester_name: from.name ?? match.contact?.name ?? null,
    requester_email: from.address,
  });
  if (!input.success)
    return { outcome: "triage", reason: `not a valid ticket: ${input.error.issues[0]!.message}`, body: triageText };
  const ticket = await createTicket(context.db, input.data, actor, { events: linkingEvents(context, rowId) });
  const rows = files.stored.map((file) => ({ ...file, ticketId: ticket.id, entryId: null }));
  await insertAttachments(tx, context.db, rows, ticket.companyId, actor);
  return { outcome: "ticket", ticketId: ticket.id, reason: refused ? refused.slice(0, -2) : null };
}

/** Files from an email are uploaded by its sender. */
const uploaderOf = (from: { address: string; name: string | null }) => ({
  id: `email:${from.address}`,
  name: from.name ?? from.address,
});

/**
 * Reads one message into Codex, once: a reply on its ticket, a new ticket for its sender's
 * company, triage, or nothing (an auto-reply, our own mail). The message's row and what it
 * caused commit together, so a crash half-way leaves it to be read again. Null when another
 * poller (or an earlier run) already read it.
 */
export async function processInbound(
  context: InboundContext,
  key: MailboxKey,
  mail: InboundMail,
): Promise<Processed | null> {
  const { received, notKept } = await receiveMailFiles(context.attachments, mail);
  let unused: StoredFile[] = [];
  try {
    const uploader = uploaderOf(mail.from ?? { address: "unknown", name: null });
    return await keepUploads(context.attachments, received, uploader, (stored) =>
      transaction(context.db, async (tx) => {
        unused = stored;
        const claimed = await claimInbound(tx, context.db, key, mail);
        if (!claimed) return null;
        const result = await decide(tx, context, mail, claimed.id, { stored, notKept });
        await recordOutcome(tx, context.db, claimed.id, result);
        if (result.outcome === "ticket" || result.outcome === "reply") unused = [];
        return result;
      }),
    );
  } finally {
    // Files no ticket or reply took: the message was read before, ignored, or triaged.
    await context.attachments.remove(unused.map((file) => file.storageKey));
    await discardMailFiles(received);
  }
}

/**
 * A message that could not be processed for a reason other than the database being away (a
 * message no parser or rule expected): it goes to triage with the reason, so it is neither lost
 * nor tried again at every poll. Null when it had already been read.
 */
export async function holdUnprocessable(
  context: InboundContext,
  key: MailboxKey,
  mail: InboundMail,
  error: unknown,
): Promise<Processed | null> {
  const reason = `could not be processed: ${(error as Error)?.message ?? String(error)}`.slice(0, 500);
  return transaction(context.db, async (tx) => {
    const claimed = await claimInbound(tx, context.db, key, mail);
    if (!claimed) return null;
    const result: Processed = { outcome: "triage", reason, body: mail.text };
    await recordOutcome(tx, context.db, claimed.id, result);
    return result;
  });
}
