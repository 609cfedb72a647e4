import type { Ticket, TicketEntry } from "../db/schema.ts";
import type { Actor } from "../shared/data-audit.ts";
import type { Tx } from "../shared/data-common.ts";

/** A change to a ticket made in Codex (a page, the API, an email), as its listeners see it. */
export type TicketEvent =
  | { kind: "created"; ticket: Ticket }
  | { kind: "updated"; before: Ticket; after: Ticket }
  | { kind: "entry"; ticket: Ticket; entry: TicketEntry };

/**
 * Told of each change inside the transaction that makes it, so what it writes (an email in the
 * outbox) commits or rolls back with the change. Syncs from a PSA do not tell it.
 */
export interface TicketEvents {
  onChange(tx: Tx, event: TicketEvent, actor: Actor): Promise<void>;
}
