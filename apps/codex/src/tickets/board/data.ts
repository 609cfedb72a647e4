import { and, desc, eq, inArray } from "drizzle-orm";
import { agentOf } from "../../agents/data.ts";
import type { Person } from "../../agents/json.ts";
import { CLOSED_STATUSES, TICKET_STATUSES } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type SectionRow, sectionRows } from "./data-sections.ts";
import {
  type BoardFilter,
  type BoardPageQuery,
  type BoardSettings,
  type BoardSettingsJson,
  type BoardTicket,
  boardSettingsSchema,
  type TicketBoard,
} from "./json.ts";
import { classify, firstResponseDue, type Placement } from "./sla.ts";

const SETTINGS_KEY = "ticket_board";
/** Named rather than "not closed", so the status index serves the query. */
const ACTIVE_STATUSES = TICKET_STATUSES.filter((status) => !(CLOSED_STATUSES as readonly string[]).includes(status));

export async function readBoardSettings(db: CodexDb): Promise<BoardSettingsJson> {
  const settings = db.t.appSettings;
  const [row] = await db.db.select().from(settings).where(eq(settings.key, SETTINGS_KEY));
  const parsed = boardSettingsSchema.safeParse(row?.value ?? {});
  // A row that no longer parses (hand-edited, older version) reads as the defaults rather than breaking the board.
  const current = parsed.success ? parsed.data : boardSettingsSchema.parse({});
  return { ...current, updated_by: row?.updatedBy ?? null, updated_at: row?.updatedAt.toISOString() ?? null };
}

export async function writeBoardSettings(db: CodexDb, settings: BoardSettings, actor: string): Promise<void> {
  const table = db.t.appSettings;
  const value = boardSettingsSchema.parse(settings) as Record<string, unknown>;
  const now = new Date();
  await db.db
    .insert(table)
    .values({ key: SETTINGS_KEY, value, updatedBy: actor, updatedAt: now })
    .onConflictDoUpdate({ target: table.key, set: { value, updatedBy: actor, updatedAt: now } });
}

/** The board's filter from its query; `me` is the signed-in person's agent (none for a service). */
export async function boardFilterOf(db: CodexDb, query: BoardPageQuery, person: Person | null): Promise<BoardFilter> {
  let assignee: BoardFilter["assignee"];
  if (query.assignee === "unassigned") assignee = "unassigned";
  // Someone with no agent record has no tickets assigned: -1 matches nobody.
  else if (query.assignee === "me") assignee = person ? ((await agentOf(db, person))?.id ?? -1) : -1;
  else if (query.assignee) assignee = Number(query.assignee);
  return { group: query.group || undefined, assignee };
}

async function lastTicketSync(db: CodexDb): Promise<Date | null> {
  const jobs = db.t.syncJobs;
  const [last] = await db.db
    .select({ at: jobs.finishedAt })
    .from(jobs)
    .where(and(inArray(jobs.kind, ["tickets", "tickets_full"]), eq(jobs.status, "succeeded")))
    .orderBy(desc(jobs.finishedAt))
    .limit(1);
  return last?.at ?? null;
}

/**
 * The board: active tickets (optionally of one group or assignee) in four sections, most
 * pressing first, each cut to `perSection` when given. The database places and ranks every
 * active ticket (data-sections.ts) and returns only the tickets shown, with their section
 * totals; each shown ticket's SLA state and sentence come from `classify`.
 */
export async function ticketBoard(db: CodexDb, filter: BoardFilter, now = new Date(), perSection?: number) {
  const settings = await readBoardSettings(db);
  const rows = await sectionRows(db, ACTIVE_STATUSES, filter, settings, now, perSection);
  const sections: Record<1 | 2 | 3 | 4, BoardTicket[]> = { 1: [], 2: [], 3: [], 4: [] };
  const totals: Record<1 | 2 | 3 | 4, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const row of rows) {
    const section = row.section as 1 | 2 | 3 | 4;
    totals[section] = row.sectionTotal;
    sections[section].push(boardTicket(row, classify(row, settings, now)));
  }
  const board: TicketBoard = {
    section1: sections[1],
    section2: sections[2],
    section3: sections[3],
    section4: sections[4],
    section_totals: { section1: totals[1], section2: totals[2], section3: totals[3], section4: totals[4] },
    total_active: totals[1] + totals[2] + totals[3] + totals[4],
    generated_at: now.toISOString(),
    last_sync_time: (await lastTicketSync(db))?.toISOString() ?? null,
    thresholds: {
      update_overdue_minutes: settings.update_overdue_minutes,
      due_critical_minutes: settings.due_critical_minutes,
      due_warning_minutes: settings.due_warning_minutes,
    },
  };
  return board;
}

function boardTicket(row: SectionRow, placement: Placement): BoardTicket {
  return {
    id: row.id,
    ticket_number: row.ticketNumber,
    subject: row.subject,
    company: row.account,
    company_name: row.companyName,
    status: row.status,
    priority: row.priority,
    ticket_type: row.ticketType,
    group_name: row.groupName,
    requester_name: row.requesterName ?? row.contactName ?? row.requesterEmail ?? "—",
    assignee_id: row.assigneeId,
    assignee_name: row.assigneeId ? (row.agentName ?? `Agent ${row.assigneeId}`) : "Unassigned",
    created_at: row.createdAt.toISOString(),
    last_update_at: placement.lastUpdate.toISOString(),
    update_overdue: placement.updateOverdue,
    first_response: {
      due_at: firstResponseDue(row)?.toISOString() ?? null,
      responded_at: row.firstRespondedAt?.toISOString() ?? null,
      state: placement.firstResponse,
    },
    resolution: { due_at: row.dueAt?.toISOString() ?? null, state: placement.resolution },
    sla: placement.sla,
    external_source: row.externalSource,
    external_id: row.externalId,
  };
}

/** The groups tickets are in, for the board's filter. */
export async function ticketGroups(db: CodexDb): Promise<string[]> {
  const tickets = db.t.tickets;
  const rows = await db.db
    .selectDistinct({ group: tickets.groupName })
    .from(tickets)
    .where(inArray(tickets.status, ACTIVE_STATUSES));
  return rows.flatMap((row) => (row.group ? [row.group] : [])).sort();
}
