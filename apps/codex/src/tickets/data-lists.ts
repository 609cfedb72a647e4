import { eq, gte, inArray, lt, notInArray } from "drizzle-orm";
import { agentNames } from "../agents/data-lists.ts";
import { accountsOf, ofCompanyNamed } from "../companies/data.ts";
import { CLOSED_STATUSES, type Ticket } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import { SOURCE } from "../integrations/freshservice/mapping.ts";
import { ticketWriteBacks } from "../integrations/writeback/data.ts";
import { writeBackStateJson } from "../integrations/writeback/json.ts";
import { matchCondition } from "../search/data.ts";
import { pageOf } from "../shared/data-pagination.ts";
import { ticketAttachments } from "./attachments/data.ts";
import { type AttachmentLink, attachmentJson } from "./attachments/json.ts";
import { ticketEntries, ticketTimeEntries } from "./data-entries.ts";
import { entryJson, type TicketDetail, type TicketListQuery, type TicketViewer, ticketJson } from "./json.ts";

/** One page of tickets as the API shows them; `scope` confines it to a client's company. */
export async function listTickets(db: CodexDb, query: TicketListQuery, scope: number | null, viewer: TicketViewer) {
  const tickets = db.t.tickets;
  const closed = [...CLOSED_STATUSES];
  const page = await pageOf(db.db.select().from(tickets).$dynamic(), {
    where: [
      scope === null ? undefined : eq(tickets.companyId, scope),
      query.company ? ofCompanyNamed(db, tickets.companyId, query.company) : undefined,
      query.company_id ? eq(tickets.companyId, query.company_id) : undefined,
      query.q ? (matchCondition(db, "tickets", query.q) ?? undefined) : undefined,
      query.status ? inArray(tickets.status, query.status) : undefined,
      query.priority ? eq(tickets.priority, query.priority) : undefined,
      query.assignee_id ? eq(tickets.assigneeId, query.assignee_id) : undefined,
      query.source ? eq(tickets.externalSource, query.source) : undefined,
      query.open === undefined
        ? undefined
        : query.open
          ? notInArray(tickets.status, closed)
          : inArray(tickets.status, closed),
      query.updated_since ? gte(tickets.updatedAt, query.updated_since) : undefined,
      query.updated_before ? lt(tickets.updatedAt, query.updated_before) : undefined,
      query.created_since ? gte(tickets.createdAt, query.created_since) : undefined,
      query.created_before ? lt(tickets.createdAt, query.created_before) : undefined,
    ],
    sortCol: query.sort === "updated_at" ? tickets.updatedAt : tickets.createdAt,
    sortKey: (ticket) => (query.sort === "updated_at" ? ticket.updatedAt : ticket.createdAt),
    idCol: tickets.id,
    order: query.order ?? "desc",
    cursor: query.cursor,
    limit: query.limit,
  });
  const accounts = await accountsOf(
    db,
    page.items.map((ticket) => ticket.companyId),
  );
  const agents = await agentNames(
    db,
    page.items.flatMap((ticket) => (ticket.assigneeId ? [ticket.assigneeId] : [])),
  );
  return {
    items: page.items.map((ticket) =>
      ticketJson(ticket, accounts.get(ticket.companyId)!, agents.get(ticket.assigneeId ?? 0) ?? null, viewer),
    ),
    next_cursor: page.next_cursor,
  };
}

/**
 * A ticket with its conversation and attachments; clients see public replies only (and the
 * files of those and of the ticket), and no time.
 */
export async function ticketDetail(
  db: CodexDb,
  ticket: Ticket,
  viewer: TicketViewer,
  link: AttachmentLink,
): Promise<TicketDetail> {
  const client = viewer === "client";
  const account = (await accountsOf(db, [ticket.companyId])).get(ticket.companyId)!;
  const assignee = ticket.assigneeId ? (await agentNames(db, [ticket.assigneeId])).get(ticket.assigneeId) : null;
  const entries = await ticketEntries(db, ticket.id, { publicOnly: client });
  const shown = new Set(entries.map((entry) => entry.id));
  const files = (await ticketAttachments(db, ticket.id)).filter(
    (file) => file.entryId === null || shown.has(file.entryId),
  );
  const time = client ? [] : await ticketTimeEntries(db, ticket.id);
  return {
    ...ticketJson(ticket, account, assignee ?? null, viewer),
    conversation: entries.map(entryJson),
    attachments: files.map((file) => attachmentJson(file, link)),
    ...(client || ticket.externalSource !== SOURCE
      ? {}
      : { freshservice_writeback: writeBackStateJson(await ticketWriteBacks(db, ticket.id)) }),
    ...(client
      ? {}
      : {
          time_entries: time.map((entry) => ({
            id: entry.id,
            minutes: entry.minutes,
            logged_at: entry.loggedAt.toISOString(),
            agent_name: entry.agentName,
            note: entry.note,
            billable: entry.billable,
            external_id: entry.externalId,
          })),
        }),
  };
}
