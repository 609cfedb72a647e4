import type { CodexDb } from "../../deps.ts";
import { attachmentsByTicket } from "../attachments/data.ts";
import { type AttachmentJson, type AttachmentLink, attachmentJson } from "../attachments/json.ts";
import { listTickets } from "../data-lists.ts";
import type { TicketJson, TicketListQuery, TicketViewer } from "../json.ts";

/** How many tickets an export reads at a time. */
const PAGE = 500;

export type ExportedTicket = TicketJson & { attachments: AttachmentJson[] };

/**
 * Every ticket the caller may see that matches the filters, a page at a time, each with its
 * attachments as download links (what the CSV and JSON exports write as they go).
 */
export async function* exportedTickets(
  db: CodexDb,
  filters: Omit<TicketListQuery, "limit" | "cursor">,
  scope: number | null,
  viewer: TicketViewer,
  link: AttachmentLink,
): AsyncGenerator<ExportedTicket[]> {
  let cursor: string | undefined;
  do {
    const page = await listTickets(db, { ...filters, limit: PAGE, cursor }, scope, viewer);
    const files = await attachmentsByTicket(
      db,
      page.items.map((ticket) => ticket.id),
    );
    yield page.items.map((ticket) => ({
      ...ticket,
      attachments: (files.get(ticket.id) ?? []).map((file) => attachmentJson(file, link)),
    }));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}
