import type { Ticket } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Actor } from "../../shared/data-audit.ts";
import type { Tx } from "../../shared/data-common.ts";
import type { TicketEvent, TicketEvents } from "../../tickets/events.ts";
import { newMessageId, threadMessageId } from "../addresses.ts";
import type { MailSettings } from "../settings.ts";
import { enqueueMail, type OutgoingMail } from "./data.ts";
import { assigneeOf, openingMessageId, type Recipient, requesterOf } from "./data-recipients.ts";
import { type MailContent, type OutboxEvent, renderMail } from "./render.ts";

/** One email to write: to whom, about what. */
type Notice = Omit<MailContent, "ticket" | "recipientName" | "link"> & { to: Recipient | null };

/** Who hears of a change (README "Codex email"): the requester of what is theirs, the assignee of their work. */
async function noticesOf(tx: Tx, db: CodexDb, event: TicketEvent, actor: Actor, ownAddress: string): Promise<Notice[]> {
  const requester = (ticket: Ticket) => requesterOf(tx, db, ticket, ownAddress);
  // Nobody is told of what they did themselves (an agent taking a ticket).
  const assignee = async (ticket: Ticket) => {
    const agent = await assigneeOf(tx, db, ticket.assigneeId, ownAddress);
    return agent && agent.username === actor.name ? null : agent;
  };
  const notice = (event: OutboxEvent, to: Recipient | null, extra: Partial<Notice> = {}): Notice => ({
    event,
    to,
    ...extra,
  });
  switch (event.kind) {
    case "created": {
      const { ticket } = event;
      const notices = [notice("created", await requester(ticket))];
      if (ticket.assigneeId) notices.push(notice("assigned", await assignee(ticket)));
      return notices;
    }
    case "updated": {
      const { before, after } = event;
      const notices: Notice[] = [];
      if (before.status !== after.status)
        notices.push(notice("status", await requester(after), { previousStatus: before.status }));
      if (after.assigneeId && before.assigneeId !== after.assigneeId)
        notices.push(notice("assigned", await assignee(after)));
      return notices;
    }
    case "entry": {
      const { ticket, entry } = event;
      if (entry.kind !== "reply") return [];
      const content = { author: entry.authorName, body: entry.body };
      return entry.incoming
        ? [notice("client_reply", await assignee(ticket), content)]
        : [notice("reply", await requester(ticket), content)];
    }
  }
}

/**
 * The outbox's listener on ticket changes: renders the emails a change calls for and queues them
 * in its transaction. Tickets synced from a PSA get none: the PSA emails its own people.
 */
export function outboxNotifier(db: CodexDb, settings: MailSettings): TicketEvents {
  const ownAddress = settings.from?.address ?? "";
  const domain = settings.messageIdDomain;
  return {
    async onChange(tx, event, actor) {
      const ticket = event.kind === "updated" ? event.after : event.ticket;
      if (ticket.externalSource) return;
      const notices = await noticesOf(tx, db, event, actor, ownAddress);
      const wanted = notices.filter((item): item is Notice & { to: Recipient } => item.to !== null);
      if (wanted.length === 0) return;
      const thread = threadMessageId(ticket.id, domain);
      const opening = await openingMessageId(tx, db, ticket.id);
      const link = settings.publicOrigin ? `${settings.publicOrigin}/codex/tickets/${ticket.id}` : null;
      const mails: OutgoingMail[] = wanted.map(({ to, ...content }) => ({
        ticketId: ticket.id,
        event: content.event,
        to: to.address,
        ...renderMail({ ...content, ticket, recipientName: to.name, link }),
        messageId: newMessageId(ticket.id, domain),
        inReplyTo: opening ?? thread,
        references: opening ? [opening, thread] : [thread],
      }));
      await enqueueMail(tx, db, mails);
    },
  };
}
