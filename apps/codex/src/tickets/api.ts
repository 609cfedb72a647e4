import { z } from "zod";
import { forbidden } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { entityRoutes } from "../shared/entity-routes.ts";
import { jsonAnswer, jsonRequest } from "../shared/route-schemas.ts";
import { actorOf, authorOf, isClient, openerOf, ticketViewer, uploaderOf } from "../shared/request.ts";
import { attachmentLinks } from "./attachments/links.ts";
import { clientTicketInput, mayClose, staffTicketInput } from "./client-tickets.ts";
import { closeTicket, createTicket, deleteTicket, requireTicket, updateTicket, upsertTickets } from "./data.ts";
import { addEntry, addTimeEntry } from "./data-entries.ts";
import { listTickets, ticketDetail } from "./data-lists.ts";
import { visibleTicket, visibleTicketFirst } from "./visible.ts";
import {
  entryBody,
  entryJson,
  replyBody,
  entrySchema,
  ticketCreate,
  ticketDetailSchema,
  ticketListQuery,
  ticketOpenBody,
  ticketPageSchema,
  ticketParams,
  ticketUpdate,
  timeEntryCreate,
} from "./json.ts";

const tags: [string] = ["Tickets"];
const route = entityRoutes({
  path: "/api/tickets",
  param: "id",
  params: ticketParams,
  tag: "Tickets",
  one: "ticket",
  many: "tickets",
  listQuery: ticketListQuery,
  page: ticketPageSchema,
  create: ticketCreate,
  update: ticketUpdate,
  json: ticketDetailSchema,
  deleteAccess: ACCESS.admin,
});

/** Staff open any company's tickets; a client its own company's, with the fields a client may set. */
const openRoute = apiRoute({
  ...route.create,
  request: { body: jsonRequest(ticketOpenBody) },
  access: ACCESS.open,
  summary: "Open a ticket (clients: for their own company, subject, description and priority low|medium|high only)",
});

const closeRoute = apiRoute({
  method: "post",
  path: "/api/tickets/{id}/close",
  access: ACCESS.close,
  tags,
  summary: "Close a ticket (clients: only one they opened)",
  request: { params: ticketParams },
  responses: { 200: jsonAnswer(ticketDetailSchema, "The ticket as stored") },
});

/** The path older clients read a ticket at. */
const oldGetRoute = apiRoute({ ...route.get, path: "/api/ticket/{id}" });

const oldUpdate = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    note: z.string().trim().min(1).max(100_000).optional(),
  })
  .strict();
const oldUpdateRoute = apiRoute({
  method: "post",
  path: "/api/ticket/{id}/update",
  access: ACCESS.data,
  tags,
  summary: "Set status/priority and optionally add a private note (older clients)",
  request: { params: ticketParams, body: jsonRequest(oldUpdate) },
  responses: { 200: jsonAnswer(ticketDetailSchema, "The ticket as stored") },
});

const replyRoute = apiRoute({
  method: "post",
  path: "/api/tickets/{id}/replies",
  access: ACCESS.reply,
  tags,
  summary: "Add a public reply, with files uploaded to the ticket first (clients: on their company's tickets)",
  idempotent: true,
  request: { params: ticketParams, body: jsonRequest(replyBody) },
  responses: { 201: jsonAnswer(entrySchema, "The entry as stored") },
});
const noteRoute = apiRoute({
  ...replyRoute,
  path: "/api/tickets/{id}/notes",
  access: ACCESS.data,
  summary: "Add a private note",
  request: { params: ticketParams, body: jsonRequest(entryBody) },
});

const timeRoute = apiRoute({
  method: "post",
  path: "/api/tickets/{id}/time-entries",
  access: ACCESS.data,
  tags,
  summary: "Log time on a ticket",
  idempotent: true,
  request: { params: ticketParams, body: jsonRequest(timeEntryCreate) },
  responses: {
    201: jsonAnswer(
      z.object({ id: z.number().int(), minutes: z.number().int(), logged_at: z.iso.datetime() }),
      "The time entry as stored",
    ),
  },
});

export function ticketsApi(routes: RouteTable, deps: Deps) {
  const { db, ticketEvents: events } = deps;

  routes.api(route.list, async (c) =>
    c.json(await listTickets(db, c.req.valid("query"), await scopeCompanyId(c, deps), ticketViewer(c)), 200),
  );

  routes.api(openRoute, async (c) => {
    const sent = c.req.valid("json");
    const input = isClient(c) ? clientTicketInput(c, sent) : staffTicketInput(sent);
    const ticket = await createTicket(db, input, actorOf(c), { opener: openerOf(c), events });
    return c.json(await ticketDetail(db, ticket, ticketViewer(c), attachmentLinks(c)), 201);
  });

  routes.api(route.bulk, async (c) => c.json(await upsertTickets(db, c.req.valid("json").rows, actorOf(c)), 200));

  for (const read of [route.get, oldGetRoute])
    routes.api(read, async (c) => {
      const ticket = await visibleTicket(c, deps, c.req.valid("param").id);
      return c.json(await ticketDetail(db, ticket, ticketViewer(c), attachmentLinks(c)), 200);
    });

  routes.api(route.update, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    const updated = await updateTicket(db, ticket, c.req.valid("json"), actorOf(c), events);
    return c.json(await ticketDetail(db, updated, "staff", attachmentLinks(c)), 200);
  });

  routes.api(oldUpdateRoute, async (c) => {
    let ticket = await requireTicket(db, c.req.valid("param").id);
    const { status, priority, note } = c.req.valid("json");
    if (status || priority) ticket = await updateTicket(db, ticket, { status, priority }, actorOf(c), events);
    if (note) await addEntry(db, ticket, { kind: "note", body: note, ...authorOf(c), incoming: false }, actorOf(c));
    return c.json(await ticketDetail(db, await requireTicket(db, ticket.id), "staff", attachmentLinks(c)), 200);
  });

  routes.api(route.delete, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    await deps.attachments.remove(await deleteTicket(db, ticket, actorOf(c)));
    return c.json({ message: `Deleted ticket ${ticket.id}.` }, 200);
  });

  routes.api(apiRoute({ ...closeRoute, middleware: visibleTicketFirst(deps) }), async (c) => {
    const ticket = await visibleTicket(c, deps, c.req.valid("param").id);
    if (!mayClose(c, ticket)) throw forbidden("You can close the tickets you opened; this one someone else did.");
    const closed = await closeTicket(db, ticket, actorOf(c), events);
    return c.json(await ticketDetail(db, closed, ticketViewer(c), attachmentLinks(c)), 200);
  });

  routes.api(apiRoute({ ...replyRoute, middleware: visibleTicketFirst(deps) }), async (c) => {
    const ticket = await visibleTicket(c, deps, c.req.valid("param").id);
    const { body, attachment_ids } = c.req.valid("json");
    const entry = await addEntry(
      db,
      ticket,
      { kind: "reply", body, ...authorOf(c), incoming: isClient(c) },
      actorOf(c),
      { files: attachment_ids ? { ids: attachment_ids, uploaderId: uploaderOf(c).id } : undefined, events },
    );
    return c.json(entryJson(entry), 201);
  });

  routes.api(noteRoute, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    const { body } = c.req.valid("json");
    const entry = await addEntry(db, ticket, { kind: "note", body, ...authorOf(c), incoming: false }, actorOf(c));
    return c.json(entryJson(entry), 201);
  });

  routes.api(timeRoute, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    const entry = await addTimeEntry(db, ticket, c.req.valid("json"), actorOf(c));
    return c.json({ id: entry.id, minutes: entry.minutes, logged_at: entry.loggedAt.toISOString() }, 201);
  });
}
