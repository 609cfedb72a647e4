import { z } from "zod";
import { eq, gte, inArray, lt, notInArray } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { CLOSED_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES, type Ticket } from "../db/schema.ts";
import {
  addEntry,
  addTimeEntry,
  createTicket,
  deleteTicket,
  entryCreateSchema,
  entryJson,
  requireTicket,
  ticketCreateSchema,
  ticketEntries,
  ticketJson,
  ticketUpdateSchema,
  type TicketViewer,
  timeEntryCreateSchema,
  updateTicket,
  upsertTickets,
} from "../data/tickets.ts";
import { pageOf, pageQuery } from "../shared/data-pagination.ts";
import { matchCondition } from "../search/data.ts";
import { accountNumberSchema, optTimestamp } from "../shared/input.ts";
import { accountsOf } from "../companies/data.ts";
import { bulkBody } from "../shared/route-schemas.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf, isClient, ticketViewer } from "../shared/request.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { intParam } from "../shared/request.ts";

const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const statusList = z
  .string()
  .max(500)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TICKET_STATUSES)).min(1));

export const ticketListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    company_id: z.coerce.number().int().positive().optional(),
    status: statusList.optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    assignee_id: z.coerce.number().int().positive().optional(),
    /** Where tickets came from, e.g. `freshservice` (the old /api/psa/tickets?provider=). */
    source: z.string().trim().min(1).max(50).optional(),
    open: boolish.optional(),
    updated_since: optTimestamp(),
    updated_before: optTimestamp(),
    created_since: optTimestamp(),
    created_before: optTimestamp(),
    sort: z.enum(["updated_at", "created_at"]).default("updated_at"),
    ...pageQuery,
  })
  .strict();

export async function listTickets(
  deps: Deps,
  query: z.infer<typeof ticketListQuery>,
  scope: number | null,
  viewer: TicketViewer,
) {
  const h = deps.db;
  const t = h.t.tickets;
  const page = await pageOf(h.db.select().from(t).$dynamic(), {
    where: [
      scope === null ? undefined : eq(t.companyId, scope),
      query.company
        ? inArray(
            t.companyId,
            h.db
              .select({ id: h.t.companies.id })
              .from(h.t.companies)
              .where(eq(h.t.companies.accountNumber, query.company)),
          )
        : undefined,
      query.company_id ? eq(t.companyId, query.company_id) : undefined,
      query.q ? (matchCondition(h, "tickets", query.q) ?? undefined) : undefined,
      query.status ? inArray(t.status, query.status) : undefined,
      query.priority ? eq(t.priority, query.priority) : undefined,
      query.assignee_id ? eq(t.assigneeId, query.assignee_id) : undefined,
      query.source ? eq(t.externalSource, query.source) : undefined,
      query.open === undefined
        ? undefined
        : query.open
          ? notInArray(t.status, [...CLOSED_STATUSES])
          : inArray(t.status, [...CLOSED_STATUSES]),
      query.updated_since ? gte(t.updatedAt, query.updated_since) : undefined,
      query.updated_before ? lt(t.updatedAt, query.updated_before) : undefined,
      query.created_since ? gte(t.createdAt, query.created_since) : undefined,
      query.created_before ? lt(t.createdAt, query.created_before) : undefined,
    ],
    sortCol: query.sort === "updated_at" ? t.updatedAt : t.createdAt,
    sortKey: (r) => (query.sort === "updated_at" ? r.updatedAt : r.createdAt),
    idCol: t.id,
    order: query.order ?? "desc",
    cursor: query.cursor,
    limit: query.limit,
  });
  const accounts = await accountsOf(
    deps.db,
    page.items.map((x) => x.companyId),
  );
  const agentIds = [...new Set(page.items.flatMap((x) => (x.assigneeId ? [x.assigneeId] : [])))];
  const agents = new Map(
    agentIds.length
      ? (
          await h.db
            .select({ id: h.t.agents.id, name: h.t.agents.name })
            .from(h.t.agents)
            .where(inArray(h.t.agents.id, agentIds))
        ).map((a) => [a.id, a])
      : [],
  );
  return {
    items: page.items.map((x) =>
      ticketJson(x, accounts.get(x.companyId)!, (x.assigneeId ? agents.get(x.assigneeId) : null) ?? null, viewer),
    ),
    next_cursor: page.next_cursor,
  };
}

/** A ticket with its conversation; clients see public replies only, and no time. */
export async function ticketDetail(deps: Deps, ticket: Ticket, viewer: TicketViewer) {
  const client = viewer === "client";
  const h = deps.db;
  const account = (await accountsOf(deps.db, [ticket.companyId])).get(ticket.companyId)!;
  const [assignee] = ticket.assigneeId
    ? await h.db
        .select({ id: h.t.agents.id, name: h.t.agents.name })
        .from(h.t.agents)
        .where(eq(h.t.agents.id, ticket.assigneeId))
    : [];
  const entries = await ticketEntries(h, ticket.id, { publicOnly: client });
  const time = client
    ? []
    : await h.db
        .select()
        .from(h.t.ticketTimeEntries)
        .where(eq(h.t.ticketTimeEntries.ticketId, ticket.id))
        .orderBy(h.t.ticketTimeEntries.loggedAt);
  return {
    ...ticketJson(ticket, account, assignee ?? null, viewer),
    conversation: entries.map(entryJson),
    ...(client
      ? {}
      : {
          time_entries: time.map((e) => ({
            id: e.id,
            minutes: e.minutes,
            logged_at: e.loggedAt.toISOString(),
            agent_name: e.agentName,
            note: e.note,
            billable: e.billable,
            external_id: e.externalId,
          })),
        }),
  };
}

const legacyUpdate = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    note: z.string().trim().min(1).max(100_000).optional(),
  })
  .strict();

function author(c: Context<AppEnv>) {
  const user = c.get("user");
  return user
    ? { authorName: user.name || user.preferred_username, authorEmail: user.email || null }
    : { authorName: `service:${c.get("service")}`, authorEmail: null };
}

export function ticketApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Tickets";
  const visibleTicket = async (c: Context<AppEnv>) => {
    const ticket = await requireTicket(h, intParam(c, "id"));
    await assertVisible(c, deps, ticket.companyId, "ticket");
    return ticket;
  };

  r.add(
    {
      method: "get",
      path: "/api/tickets",
      access: "read",
      client: true,
      tag,
      summary: "List tickets (status, priority, company, dates, search; cursor pagination)",
      query: ticketListQuery,
    },
    async (c) =>
      c.json(await listTickets(deps, queryParams(c, ticketListQuery), await scopeCompanyId(c, deps), ticketViewer(c))),
  );
  r.add(
    {
      method: "post",
      path: "/api/tickets",
      access: "data",
      tag,
      summary: "Create a ticket in Codex",
      body: ticketCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const row = await createTicket(h, await jsonBody(c, z.unknown()), actorOf(c));
      return c.json(await ticketDetail(deps, row, "staff"), 201);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/tickets/bulk",
      access: "data",
      tag,
      summary: "Create or update many tickets with their conversations and time entries",
      body: bulkBody("POST /api/tickets"),
    },
    async (c) => c.json(await upsertTickets(h, (await jsonBody(c, bulkBody("POST /api/tickets"))).rows, actorOf(c))),
  );
  for (const path of ["/api/tickets/:id", "/api/ticket/:id"]) {
    r.add(
      { method: "get", path, access: "read", client: true, tag, summary: "A ticket with its conversation" },
      async (c) => c.json(await ticketDetail(deps, await visibleTicket(c), ticketViewer(c))),
    );
  }
  r.add(
    {
      method: "put",
      path: "/api/tickets/:id",
      access: "data",
      tag,
      summary: "Update a ticket (only the fields sent)",
      body: ticketUpdateSchema,
    },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      return c.json(
        await ticketDetail(deps, await updateTicket(h, ticket, await jsonBody(c, z.unknown()), actorOf(c)), "staff"),
      );
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/ticket/:id/update",
      access: "data",
      tag,
      summary: "Set status/priority and optionally add a private note (older clients)",
      body: legacyUpdate,
    },
    async (c) => {
      let ticket = await requireTicket(h, intParam(c, "id"));
      const body = await jsonBody(c, legacyUpdate);
      if (body.status || body.priority)
        ticket = await updateTicket(h, ticket, { status: body.status, priority: body.priority }, actorOf(c));
      if (body.note)
        await addEntry(h, ticket, { kind: "note", body: body.note, ...author(c), incoming: false }, actorOf(c));
      return c.json(await ticketDetail(deps, await requireTicket(h, ticket.id), "staff"));
    },
  );
  r.add({ method: "delete", path: "/api/tickets/:id", access: "admin", tag, summary: "Delete a ticket" }, async (c) => {
    const ticket = await requireTicket(h, intParam(c, "id"));
    await deleteTicket(h, ticket, actorOf(c));
    return c.json({ message: `Deleted ticket ${ticket.id}.` });
  });
  const replyBody = entryCreateSchema.pick({ body: true });
  r.add(
    {
      method: "post",
      path: "/api/tickets/:id/replies",
      access: "reply",
      tag,
      summary: "Add a public reply (clients: on their company's tickets)",
      body: replyBody,
      idempotent: true,
    },
    async (c) => {
      const ticket = await visibleTicket(c);
      const body = await jsonBody(c, replyBody);
      const entry = await addEntry(
        h,
        ticket,
        { kind: "reply", body: body.body, ...author(c), incoming: isClient(c) },
        actorOf(c),
      );
      return c.json(entryJson(entry), 201);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/tickets/:id/notes",
      access: "data",
      tag,
      summary: "Add a private note",
      body: replyBody,
      idempotent: true,
    },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      const body = await jsonBody(c, replyBody);
      const entry = await addEntry(
        h,
        ticket,
        { kind: "note", body: body.body, ...author(c), incoming: false },
        actorOf(c),
      );
      return c.json(entryJson(entry), 201);
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/tickets/:id/time-entries",
      access: "data",
      tag,
      summary: "Log time on a ticket",
      body: timeEntryCreateSchema,
      idempotent: true,
    },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      const entry = await addTimeEntry(h, ticket, await jsonBody(c, timeEntryCreateSchema), actorOf(c));
      return c.json({ id: entry.id, minutes: entry.minutes, logged_at: entry.loggedAt.toISOString() }, 201);
    },
  );
}
