import { eq } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import type { z } from "zod";
import { companyIdsByAccount } from "../companies/data.ts";
import type { TICKET_PRIORITIES, Ticket } from "../db/schema.ts";
import type { CodexDb } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import { type BulkResult, type BulkSpec, runBulk, writeOne } from "../shared/data-bulk.ts";
import { existingByExternal, rowsWhereIn } from "../shared/data-common.ts";
import { deleteRecord } from "../shared/data-records.ts";
import { toColumns } from "../shared/fields.ts";
import { storageKeysOf } from "./attachments/data.ts";
import { enqueueTicketWriteBack } from "../integrations/writeback/data.ts";
import { writeSyncedEntries } from "./data-entries.ts";
import type { TicketEvents } from "./events.ts";
import {
  isClosedStatus,
  type TicketCreate,
  type TicketRow,
  type TicketUpdate,
  ticketBulkRow,
  ticketFields,
  ticketUpdate,
} from "./json.ts";

/** Default SLA targets by priority, in minutes: first response, then resolution. */
export const SLA_MINUTES: Record<(typeof TICKET_PRIORITIES)[number], { response: number; resolve: number }> = {
  urgent: { response: 60, resolve: 4 * 60 },
  high: { response: 4 * 60, resolve: 24 * 60 },
  medium: { response: 8 * 60, resolve: 3 * 24 * 60 },
  low: { response: 24 * 60, resolve: 5 * 24 * 60 },
};

/**
 * Checked input → columns. A new ticket is open and of medium priority unless told otherwise,
 * with due dates from its priority's SLA; a status change opens or closes it.
 */
function ticketColumns(input: Partial<TicketRow>, companyId: number | undefined, existing?: Ticket): Partial<Ticket> {
  const columns = toColumns<Ticket>(ticketFields, input);
  if (companyId !== undefined) columns.companyId = companyId;
  if (input.created_at === null) delete columns.createdAt;
  if (!existing) {
    columns.status ??= "open";
    columns.priority ??= "medium";
    const opened = columns.createdAt ?? new Date();
    columns.createdAt = opened;
    const sla = SLA_MINUTES[columns.priority];
    if (columns.firstResponseDueAt === undefined)
      columns.firstResponseDueAt = new Date(opened.getTime() + sla.response * 60_000);
    if (columns.dueAt === undefined) columns.dueAt = new Date(opened.getTime() + sla.resolve * 60_000);
  }
  const status = columns.status ?? existing?.status;
  if (columns.status && columns.closedAt === undefined) {
    if (isClosedStatus(columns.status) && !existing?.closedAt) columns.closedAt = new Date();
    if (!isClosedStatus(columns.status)) columns.closedAt = null;
  }
  if (status && !isClosedStatus(status) && columns.closedAt) columns.closedAt = null;
  return columns;
}

export async function requireTicket(db: CodexDb, id: number): Promise<Ticket> {
  const [row] = await db.db.select().from(db.t.tickets).where(eq(db.t.tickets.id, id));
  if (!row) throw notFound(`No ticket ${id}.`);
  return row;
}

/** The ids of these that name a row of `table` (contacts, agents). */
async function existingIds(
  db: CodexDb,
  table: typeof db.t.contacts | typeof db.t.agents,
  ids: number[],
): Promise<Set<number>> {
  return new Set((await rowsWhereIn<{ id: number }>(db, table, table.id, ids)).map((row) => row.id));
}

/** Who opens a ticket in HiveMatrix, recorded on it; a sync's tickets have none. */
export interface Opener {
  id: string;
  name: string;
  email: string | null;
}

async function ticketSpec(
  db: CodexDb,
  options: { target?: Ticket; opener?: Opener | null; events?: TicketEvents | null } = {},
): Promise<BulkSpec<Ticket, TicketRow>> {
  let companyIds = new Map<string, number>();
  const byExternal = new Map<string, Ticket>();
  let contacts = new Set<number>();
  let agents = new Set<number>();
  const externalKey = (row: TicketRow) => `${row.external_source}\u0000${row.external_id}`;
  return {
    entity: "ticket",
    table: db.t.tickets,
    tableName: "tickets",
    schema: (options.target ? ticketUpdate : ticketBulkRow) as z.ZodType<TicketRow>,
    async load(rows) {
      companyIds = await companyIdsByAccount(
        db,
        rows.flatMap((row) => (row.company ? [row.company] : [])),
      );
      for (const [key, ticket] of await existingByExternal<Ticket>(db, db.t.tickets, rows)) byExternal.set(key, ticket);
      contacts = await existingIds(
        db,
        db.t.contacts,
        rows.flatMap((row) => (row.requester_id ? [row.requester_id] : [])),
      );
      agents = await existingIds(
        db,
        db.t.agents,
        rows.flatMap((row) => (row.assignee_id ? [row.assignee_id] : [])),
      );
    },
    resolve(row) {
      const companyId = row.company ? companyIds.get(row.company) : undefined;
      if (row.company && companyId === undefined)
        return { error: { field: "company", message: `No company with account number ${row.company}.` } };
      if (row.requester_id && !contacts.has(row.requester_id))
        return { error: { field: "requester_id", message: `No contact ${row.requester_id}.` } };
      if (row.assignee_id && !agents.has(row.assignee_id))
        return { error: { field: "assignee_id", message: `No agent ${row.assignee_id}.` } };
      const existing = options.target ?? (row.external_id ? byExternal.get(externalKey(row)) : undefined);
      const cols = ticketColumns(row, companyId, existing);
      if (!existing && options.opener)
        Object.assign(cols, {
          openedById: options.opener.id,
          openedByName: options.opener.name,
          openedByEmail: options.opener.email,
        });
      return { existing, cols };
    },
    companyIdOf: (ticket) => ticket.companyId,
    async afterCreate(tx, ticket, actor) {
      await options.events?.onChange(tx, { kind: "created", ticket }, actor);
    },
    async afterUpdate(tx, before, changes, actor) {
      // A person's change of status, priority or assignee on a Freshservice ticket goes back there.
      await enqueueTicketWriteBack(tx, db, before, changes, actor);
      await options.events?.onChange(tx, { kind: "updated", before, after: { ...before, ...changes } }, actor);
    },
    writeLinks(tx, id, row, created) {
      const companyId = row.company
        ? companyIds.get(row.company)!
        : (options.target?.companyId ?? byExternal.get(externalKey(row))?.companyId)!;
      return writeSyncedEntries(tx, db, { id, companyId, created }, row);
    },
  };
}

/** How a ticket is opened: `opener` is the person (recorded on it), null for a service; `events` hears of it. */
export interface CreateOptions {
  opener?: Opener | null;
  /** The outbox's notifier: told in the same transaction. */
  events?: TicketEvents | null;
}

/** A new ticket, opened in Codex (a page, the API, an email). */
export async function createTicket(
  db: CodexDb,
  input: TicketCreate,
  actor: Actor,
  options: CreateOptions = {},
): Promise<Ticket> {
  return requireTicket(db, await writeOne(db, actor, await ticketSpec(db, options), input));
}

/** Closes a ticket (status `closed`, closed_at now); one already closed stays as it is. */
export function closeTicket(
  db: CodexDb,
  ticket: Ticket,
  actor: Actor,
  events: TicketEvents | null = null,
): Promise<Ticket> {
  return isClosedStatus(ticket.status)
    ? Promise.resolve(ticket)
    : updateTicket(db, ticket, { status: "closed" }, actor, events);
}

export async function updateTicket(
  db: CodexDb,
  ticket: Ticket,
  input: TicketUpdate,
  actor: Actor,
  events: TicketEvents | null = null,
): Promise<Ticket> {
  await writeOne(db, actor, await ticketSpec(db, { target: ticket, events }), input);
  return requireTicket(db, ticket.id);
}

/** Deletes a ticket with its conversation and attachments' rows; returns the storage keys of their files. */
export async function deleteTicket(db: CodexDb, ticket: Ticket, actor: Actor): Promise<string[]> {
  const files = await storageKeysOf(db, { ticketId: ticket.id });
  await deleteRecord(db, actor, {
    entity: "ticket",
    table: db.t.tickets,
    current: ticket,
    companyId: ticket.companyId,
  });
  return files;
}

/**
 * Creates or updates many tickets (a PSA sync): matched by (external_source, external_id);
 * `entries` and `time_entries` are added when their external ids are new. Nothing is written
 * if any row is invalid.
 */
export async function upsertTickets(db: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(db, actor, await ticketSpec(db), rows);
}
