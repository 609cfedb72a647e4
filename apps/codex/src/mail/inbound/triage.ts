import { transaction } from "@hivematrix/lib/db";
import { validationFailed } from "@hivematrix/lib/errors";
import type { Ticket } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { Actor } from "../../shared/data-audit.ts";
import { createTicket } from "../../tickets/data.ts";
import type { TicketEvents } from "../../tickets/events.ts";
import { ticketCreate } from "../../tickets/json.ts";
import { linkTicket, takeFromTriage } from "./data.ts";

/**
 * A triage message becomes a ticket of the company staff chose, its sender the requester.
 * One transaction: the message leaves triage only if the ticket is made, and only once.
 */
export function assignTriage(
  db: CodexDb,
  id: number,
  company: string,
  actor: Actor,
  events: TicketEvents | null,
): Promise<Ticket> {
  return transaction(db, async (tx) => {
    const message = await takeFromTriage(tx, db, id, "assigned", actor.name);
    const input = ticketCreate.safeParse({
      company,
      subject: message.subject || "(no subject)",
      description: message.body ?? "",
      requester_name: message.fromName,
      requester_email: message.fromAddress,
    });
    if (!input.success)
      throw validationFailed(
        input.error.issues.map((issue) => ({ field: String(issue.path[0] ?? "company"), message: issue.message })),
      );
    // The message is linked before the outbox hears of the ticket, so the acknowledgement joins the sender's thread.
    const linking: TicketEvents = {
      async onChange(changeTx, event, changeActor) {
        if (event.kind === "created") await linkTicket(changeTx, db, id, event.ticket.id);
        await events?.onChange(changeTx, event, changeActor);
      },
    };
    return createTicket(db, input.data, actor, { events: linking });
  });
}

/** A triage message staff decided is not for the helpdesk: it stays recorded (so it is never read again). */
export async function discardTriage(db: CodexDb, id: number, actor: Actor): Promise<void> {
  await transaction(db, (tx) => takeFromTriage(tx, db, id, "discarded", actor.name));
}
