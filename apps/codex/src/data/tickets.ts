import { z } from "zod";
import { and, eq, inArray, sql } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import {
  CLOSED_STATUSES,
  ENTRY_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketEntry,
} from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "../shared/data-bulk.ts";
import {
  accountNumberSchema,
  externalCheck,
  externalFields,
  optEmail,
  optText,
  optTimestamp,
} from "../shared/input.ts";
import { dropUndefined, selectIn, type Tx, existingByExternal } from "../shared/data-common.ts";
import { writeAudit, type Actor, type AuditRecord } from "../shared/data-audit.ts";
import type { BulkResult } from "../shared/data-bulk.ts";

const entryFields = z
  .object({
    kind: z.enum(ENTRY_KINDS),
    body: z.string().trim().min(1, "Required.").max(100_000),
    author_name: z.string().trim().min(1).max(200),
    author_email: optEmail(),
    incoming: z.boolean().optional(),
    created_at: optTimestamp(),
    ...externalFields,
  })
  .strict()
  .superRefine(externalCheck);

const timeFields = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    logged_at: optTimestamp(),
    agent_name: optText(200),
    note: optText(2000),
    billable: z.boolean().optional(),
    ...externalFields,
  })
  .strict()
  .superRefine(externalCheck);

const fields = {
  company: accountNumberSchema,
  subject: z.string().trim().min(1, "Required.").max(500),
  description: z.string().max(100_000).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  status_id: z.number().int().nullable().optional(),
  priority_id: z.number().int().nullable().optional(),
  ticket_type: optText(100),
  ticket_number: optText(50),
  requester_id: z.number().int().positive().nullable().optional(),
  requester_name: optText(200),
  requester_email: optEmail(),
  assignee_id: z.number().int().positive().nullable().optional(),
  group_name: optText(200),
  first_response_due_at: optTimestamp(),
  due_at: optTimestamp(),
  first_responded_at: optTimestamp(),
  agent_responded_at: optTimestamp(),
  closed_at: optTimestamp(),
  created_at: optTimestamp(),
  ...externalFields,
};

export const ticketCreateSchema = z.object(fields).strict().superRefine(externalCheck);
export const ticketUpdateSchema = z
  .object(fields)
  .omit({ company: true, created_at: true })
  .partial()
  .strict()
  .superRefine(externalCheck);
/** A synced ticket may carry its conversation and time entries (matched by their external ids). */
export const ticketBulkRowSchema = z
  .object({
    ...fields,
    entries: z.array(entryFields).max(1000).optional(),
    time_entries: z.array(timeFields).max(1000).optional(),
  })
  .strict()
  .superRefine(externalCheck);
export const entryCreateSchema = z
  .object({ kind: z.enum(ENTRY_KINDS), body: z.string().trim().min(1, "Write something.").max(100_000) })
  .strict();
export const timeEntryCreateSchema = timeFields;

type TicketRow = z.infer<typeof ticketBulkRowSchema>;

/** Default SLA targets by priority, in minutes: first response, then resolution. */
export const SLA_MINUTES: Record<(typeof TICKET_PRIORITIES)[number], { response: number; resolve: number }> = {
  urgent: { response: 60, resolve: 4 * 60 },
  high: { response: 4 * 60, resolve: 24 * 60 },
  medium: { response: 8 * 60, resolve: 3 * 24 * 60 },
  low: { response: 24 * 60, resolve: 5 * 24 * 60 },
};

export const isClosedStatus = (s: string) => (CLOSED_STATUSES as readonly string[]).includes(s);

function toColumns(
  i: Partial<TicketRow>,
  companyId: number | undefined,
  existing: Ticket | undefined,
): Partial<Ticket> {
  const cols = dropUndefined({
    companyId,
    subject: i.subject,
    description: i.description,
    status: i.status ?? (existing ? undefined : "open"),
    priority: i.priority ?? (existing ? undefined : "medium"),
    statusId: i.status_id,
    priorityId: i.priority_id,
    ticketType: i.ticket_type,
    ticketNumber: i.ticket_number,
    requesterId: i.requester_id,
    requesterName: i.requester_name,
    requesterEmail: i.requester_email,
    assigneeId: i.assignee_id,
    groupName: i.group_name,
    firstResponseDueAt: i.first_response_due_at,
    dueAt: i.due_at,
    firstRespondedAt: i.first_responded_at,
    agentRespondedAt: i.agent_responded_at,
    closedAt: i.closed_at,
    createdAt: i.created_at ?? undefined,
    externalId: i.external_id,
    externalSource: i.external_source,
  }) as Partial<Ticket>;
  if (!existing) {
    const opened = cols.createdAt ?? new Date();
    cols.createdAt = opened;
    const sla = SLA_MINUTES[cols.priority!];
    if (cols.firstResponseDueAt === undefined)
      cols.firstResponseDueAt = new Date(opened.getTime() + sla.response * 60_000);
    if (cols.dueAt === undefined) cols.dueAt = new Date(opened.getTime() + sla.resolve * 60_000);
  }
  const status = cols.status ?? existing?.status;
  if (cols.status && cols.closedAt === undefined) {
    if (isClosedStatus(cols.status) && !existing?.closedAt) cols.closedAt = new Date();
    if (!isClosedStatus(cols.status)) cols.closedAt = null;
  }
  if (status && !isClosedStatus(status) && cols.closedAt) cols.closedAt = null;
  return cols;
}

/** Who a ticket is shown to: a client never sees the time logged on it. */
export type TicketViewer = "staff" | "client";

export function ticketJson(
  t: Ticket,
  company: string,
  assignee: { id: number; name: string } | null,
  viewer: TicketViewer,
) {
  return {
    id: t.id,
    company,
    ticket_number: t.ticketNumber,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    status_id: t.statusId,
    priority_id: t.priorityId,
    ticket_type: t.ticketType,
    requester_id: t.requesterId,
    requester_name: t.requesterName,
    requester_email: t.requesterEmail,
    assignee_id: t.assigneeId,
    assignee_name: assignee?.name ?? null,
    group_name: t.groupName,
    first_response_due_at: t.firstResponseDueAt?.toISOString() ?? null,
    due_at: t.dueAt?.toISOString() ?? null,
    first_responded_at: t.firstRespondedAt?.toISOString() ?? null,
    agent_responded_at: t.agentRespondedAt?.toISOString() ?? null,
    closed_at: t.closedAt?.toISOString() ?? null,
    ...(viewer === "staff"
      ? { total_minutes: t.totalMinutes, hours: Math.round((t.totalMinutes / 60) * 100) / 100 }
      : {}),
    external_id: t.externalId,
    external_source: t.externalSource,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

export function entryJson(e: TicketEntry) {
  return {
    id: e.id,
    ticket_id: e.ticketId,
    kind: e.kind,
    public: e.kind === "reply",
    body: e.body,
    author_name: e.authorName,
    author_email: e.authorEmail,
    incoming: e.incoming,
    external_id: e.externalId,
    external_source: e.externalSource,
    created_at: e.createdAt.toISOString(),
  };
}

export async function requireTicket(h: CodexDb, id: number): Promise<Ticket> {
  const [row] = await h.db.select().from(h.t.tickets).where(eq(h.t.tickets.id, id));
  if (!row) throw notFound(`No ticket ${id}.`);
  return row;
}

export async function ticketEntries(h: CodexDb, ticketId: number, o: { publicOnly?: boolean } = {}) {
  const where = o.publicOnly
    ? and(eq(h.t.ticketEntries.ticketId, ticketId), eq(h.t.ticketEntries.kind, "reply"))
    : eq(h.t.ticketEntries.ticketId, ticketId);
  return h.db.select().from(h.t.ticketEntries).where(where).orderBy(h.t.ticketEntries.createdAt, h.t.ticketEntries.id);
}

/**
 * Adds logged minutes to the ticket's total in one statement: the database adds to the value it
 * holds when it writes, so concurrent time entries all count (a sum read first, then written,
 * lost the ones committed in between).
 */
async function addMinutes(tx: Tx, h: CodexDb, ticketId: number, minutes: number, now: Date): Promise<void> {
  await tx
    .update(h.t.tickets)
    .set({ totalMinutes: sql`${h.t.tickets.totalMinutes} + ${minutes}`, updatedAt: now })
    .where(eq(h.t.tickets.id, ticketId));
}

async function ticketSpec(
  h: CodexDb,
  o: { target?: Ticket; audits?: AuditRecord[] } = {},
): Promise<BulkSpec<Ticket, TicketRow>> {
  const companyIds = new Map<string, number>();
  const byExternal = new Map<string, Ticket>();
  const contacts = new Set<number>();
  const agents = new Set<number>();
  return {
    entity: "ticket",
    table: h.t.tickets,
    tableName: "tickets",
    schema: (o.target ? ticketUpdateSchema : ticketBulkRowSchema) as z.ZodType<TicketRow>,
    async load(rows) {
      const accounts = rows.flatMap((r) => (r.company ? [r.company] : []));
      for (const c of await selectIn(accounts, (part) =>
        h.db
          .select({ id: h.t.companies.id, acct: h.t.companies.accountNumber })
          .from(h.t.companies)
          .where(inArray(h.t.companies.accountNumber, part as string[])),
      )) {
        companyIds.set(c.acct, c.id);
      }
      for (const [k, v] of await existingByExternal<Ticket>(h, h.t.tickets, rows)) byExternal.set(k, v);
      const cids = rows.flatMap((r) => (r.requester_id ? [r.requester_id] : []));
      for (const c of await selectIn(cids, (part) =>
        h.db
          .select({ id: h.t.contacts.id })
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.id, part as number[])),
      ))
        contacts.add(c.id);
      const aids = rows.flatMap((r) => (r.assignee_id ? [r.assignee_id] : []));
      for (const a of await selectIn(aids, (part) =>
        h.db
          .select({ id: h.t.agents.id })
          .from(h.t.agents)
          .where(inArray(h.t.agents.id, part as number[])),
      ))
        agents.add(a.id);
    },
    resolve(p) {
      const companyId = p.company ? companyIds.get(p.company) : undefined;
      if (p.company && companyId === undefined)
        return { error: { field: "company", message: `No company with account number ${p.company}.` } };
      if (p.requester_id && !contacts.has(p.requester_id))
        return { error: { field: "requester_id", message: `No contact ${p.requester_id}.` } };
      if (p.assignee_id && !agents.has(p.assignee_id))
        return { error: { field: "assignee_id", message: `No agent ${p.assignee_id}.` } };
      const existing =
        o.target ?? (p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined);
      return { existing, cols: toColumns(p, companyId, existing) };
    },
    companyIdOf: (row) => row.companyId,
    async writeLinks(tx, id, p, created) {
      let changed = false;
      const companyId = p.company
        ? companyIds.get(p.company)!
        : (o.target?.companyId ?? byExternal.get(`${p.external_source}\u0000${p.external_id}`)?.companyId)!;
      if (p.entries?.length) {
        const known = created
          ? new Set<string>()
          : new Set(
              (
                await tx
                  .select({ k: h.t.ticketEntries.externalId })
                  .from(h.t.ticketEntries)
                  .where(eq(h.t.ticketEntries.ticketId, id))
              ).map((r) => r.k ?? ""),
            );
        const fresh = p.entries.filter((e) => !e.external_id || !known.has(e.external_id));
        if (fresh.length) {
          await tx.insert(h.t.ticketEntries).values(
            fresh.map((e) => ({
              ticketId: id,
              kind: e.kind,
              body: e.body,
              authorName: e.author_name,
              authorEmail: e.author_email ?? null,
              incoming: e.incoming ?? false,
              externalId: e.external_id ?? null,
              externalSource: e.external_source ?? null,
              createdAt: e.created_at ?? new Date(),
            })),
          );
          changed = true;
        }
      }
      if (p.time_entries?.length) {
        const known = created
          ? new Set<string>()
          : new Set(
              (
                await tx
                  .select({ k: h.t.ticketTimeEntries.externalId })
                  .from(h.t.ticketTimeEntries)
                  .where(eq(h.t.ticketTimeEntries.ticketId, id))
              ).map((r) => r.k ?? ""),
            );
        const fresh = p.time_entries.filter((e) => !e.external_id || !known.has(e.external_id));
        if (fresh.length) {
          await tx.insert(h.t.ticketTimeEntries).values(
            fresh.map((e) => ({
              ticketId: id,
              companyId,
              minutes: e.minutes,
              loggedAt: e.logged_at ?? new Date(),
              agentName: e.agent_name ?? null,
              note: e.note ?? null,
              billable: e.billable ?? true,
              externalId: e.external_id ?? null,
              externalSource: e.external_source ?? null,
            })),
          );
          await addMinutes(
            tx,
            h,
            id,
            fresh.reduce((n, e) => n + e.minutes, 0),
            new Date(),
          );
          changed = true;
        }
      }
      return changed;
    },
  };
}

export async function createTicket(h: CodexDb, input: unknown, actor: Actor): Promise<Ticket> {
  return requireTicket(h, await runOne(h, actor, await ticketSpec(h), input));
}

export async function updateTicket(h: CodexDb, ticket: Ticket, input: unknown, actor: Actor): Promise<Ticket> {
  await runOne(h, actor, await ticketSpec(h, { target: ticket }), input);
  return requireTicket(h, ticket.id);
}

export async function deleteTicket(h: CodexDb, ticket: Ticket, actor: Actor): Promise<void> {
  await transaction(h, async (tx) => {
    await tx.delete(h.t.tickets).where(eq(h.t.tickets.id, ticket.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: "ticket", entityId: ticket.id, companyId: ticket.companyId, before: ticket },
    ]);
  });
}

/**
 * Adds a public reply or private note. A reply from the requester's side (a client user)
 * moves an open ticket to customer_replied; a technician's reply sets agent_responded_at (the
 * ticket board's "last update") and, the first time, first_responded_at.
 */
export async function addEntry(
  h: CodexDb,
  ticket: Ticket,
  input: { kind: "reply" | "note"; body: string; authorName: string; authorEmail: string | null; incoming: boolean },
  actor: Actor,
): Promise<TicketEntry> {
  return transaction(h, async (tx) => {
    // The ticket as it is now, locked: its status and first response decide what this reply changes.
    const [current] = await forUpdate(h, tx.select().from(h.t.tickets).where(eq(h.t.tickets.id, ticket.id)));
    if (!current) throw notFound(`No ticket ${ticket.id}.`);
    const now = new Date();
    const [entry] = await tx
      .insert(h.t.ticketEntries)
      .values({
        ticketId: ticket.id,
        kind: input.kind,
        body: input.body,
        authorName: input.authorName,
        authorEmail: input.authorEmail,
        incoming: input.incoming,
        createdAt: now,
      })
      .returning();
    const changes: Partial<Ticket> = { updatedAt: now };
    if (input.incoming && !isClosedStatus(current.status)) changes.status = "customer_replied";
    if (!input.incoming && input.kind === "reply") {
      changes.agentRespondedAt = now;
      if (!current.firstRespondedAt) changes.firstRespondedAt = now;
    }
    const [after] = await tx.update(h.t.tickets).set(changes).where(eq(h.t.tickets.id, ticket.id)).returning();
    const audits: AuditRecord[] = [
      { action: "create", entity: "ticket_entry", entityId: entry!.id, companyId: ticket.companyId, after: entry },
    ];
    if (changes.status || changes.firstRespondedAt)
      audits.push({
        action: "update",
        entity: "ticket",
        entityId: ticket.id,
        companyId: ticket.companyId,
        before: current,
        after,
      });
    await writeAudit(tx, h, actor, audits);
    return entry!;
  });
}

export async function addTimeEntry(
  h: CodexDb,
  ticket: Ticket,
  input: z.infer<typeof timeEntryCreateSchema>,
  actor: Actor,
) {
  return transaction(h, async (tx) => {
    const [entry] = await tx
      .insert(h.t.ticketTimeEntries)
      .values({
        ticketId: ticket.id,
        companyId: ticket.companyId,
        minutes: input.minutes,
        loggedAt: input.logged_at ?? new Date(),
        agentName: input.agent_name ?? null,
        note: input.note ?? null,
        billable: input.billable ?? true,
        externalId: input.external_id ?? null,
        externalSource: input.external_source ?? null,
      })
      .returning();
    await addMinutes(tx, h, ticket.id, input.minutes, new Date());
    await writeAudit(tx, h, actor, [
      { action: "create", entity: "ticket_time_entry", entityId: entry!.id, companyId: ticket.companyId, after: entry },
    ]);
    return entry!;
  });
}

/**
 * Creates or updates many tickets (a PSA sync): matched by (external_source, external_id);
 * `entries` and `time_entries` are added when their external ids are new. Nothing is written
 * if any row is invalid.
 */
export async function upsertTickets(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await ticketSpec(h), rows);
}
