import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { entityRoutes } from "../shared/entity-routes.ts";
import { jsonAnswer, jsonRequest } from "../shared/route-schemas.ts";
import { actorOf, authorOf, isClient, ticketViewer } from "../shared/request.ts";
import { createTicket, deleteTicket, requireTicket, updateTicket, upsertTickets } from "./data.ts";
import { addEntry, addTimeEntry } from "./data-entries.ts";
import { listTickets, ticketDetail } from "./data-lists.ts";
import {
  entryBody,
  entryJson,
  entrySchema,
  ticketCreate,
  ticketDetailSchema,
  ticketListQuery,
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

const entryRoute = (path: string, access: typeof ACCESS.data, summary: string) =>
  apiRoute({
    method: "post",
    path: `/api/tickets/{id}/${path}`,
    access,
    tags,
    summary,
    idempotent: true,
    request: { params: ticketParams, body: jsonRequest(entryBody) },
    responses: { 201: jsonAnswer(entrySchema, "The entry as stored") },
  });
const replyRoute = entryRoute("replies", ACCESS.reply, "Add a public reply (clients: on their company's tickets)");
const noteRoute = entryRoute("notes", ACCESS.data, "Add a private note");

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
  /** The ticket of the path, if the caller may see it (a client: its own company's). */
  const visibleTicket = async (c: Context<AppEnv>, id: number) => {
    const ticket = await requireTicket(db, id);
    await assertVisible(c, deps, ticket.companyId, "ticket");
    return ticket;
  };

  routes.api(route.list, async (c) =>
    c.json(await listTickets(db, c.req.valid("query"), await scopeCompanyId(c, deps), ticketViewer(c)), 200),
  );

  routes.api(route.create, async (c) => {
    const ticket = await createTicket(db, c.req.valid("json"), actorOf(c), events);
    return c.json(await ticketDetail(db, ticket, "staff"), 201);
  });

  routes.api(route.bulk, async (c) => c.json(await upsertTickets(db, c.req.valid("json").rows, actorOf(c)), 200));

  for (const read of [route.get, oldGetRoute])
    routes.api(read, async (c) =>
      c.json(await ticketDetail(db, await visibleTicket(c, c.req.valid("param").id), ticketViewer(c)), 200),
    );

  routes.api(route.update, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    return c.json(
      await ticketDetail(db, await updateTicket(db, ticket, c.req.valid("json"), actorOf(c), events), "staff"),
      200,
    );
  });

  routes.api(oldUpdateRoute, async (c) => {
    let ticket = await requireTicket(db, c.req.valid("param").id);
    const { status, priority, note } = c.req.valid("json");
    if (status || priority) ticket = await updateTicket(db, ticket, { status, priority }, actorOf(c), events);
    if (note)
      await addEntry(db, ticket, { kind: "note", body: note, ...authorOf(c), incoming: false }, actorOf(c), events);
    return c.json(await ticketDetail(db, await requireTicket(db, ticket.id), "staff"), 200);
  });

  routes.api(route.delete, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    await deleteTicket(db, ticket, actorOf(c));
    return c.json({ message: `Deleted ticket ${ticket.id}.` }, 200);
  });

  // A client learns nothing of another company's ticket: 404 before its body is looked at.
  const visibleFirst: MiddlewareHandler<AppEnv> = async (c, next) => {
    const id = ticketParams.shape.id.safeParse(c.req.param("id"));
    if (id.success) await visibleTicket(c, id.data);
    await next();
  };
  routes.api(apiRoute({ ...replyRoute, middleware: visibleFirst }), async (c) => {
    const ticket = await visibleTicket(c, c.req.valid("param").id);
    const { body } = c.req.valid("json");
    const entry = await addEntry(
      db,
      ticket,
      { kind: "reply", body, ...authorOf(c), incoming: isClient(c) },
      actorOf(c),
      events,
    );
    return c.json(entryJson(entry), 201);
  });

  routes.api(noteRoute, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    const { body } = c.req.valid("json");
    const entry = await addEntry(
      db,
      ticket,
      { kind: "note", body, ...authorOf(c), incoming: false },
      actorOf(c),
      events,
    );
    return c.json(entryJson(entry), 201);
  });

  routes.api(timeRoute, async (c) => {
    const ticket = await requireTicket(db, c.req.valid("param").id);
    const entry = await addTimeEntry(db, ticket, c.req.valid("json"), actorOf(c));
    return c.json({ id: entry.id, minutes: entry.minutes, logged_at: entry.loggedAt.toISOString() }, 201);
  });
}
