import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { agentOf } from "../../agents/data.ts";
import { agentNames } from "../../agents/data-lists.ts";
import type { Person } from "../../agents/json.ts";
import { CLOSED_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { namesById, selectIn } from "../../shared/data-common.ts";
import {
  type BoardFilter,
  type BoardPageQuery,
  type BoardSettings,
  type BoardSettingsJson,
  type BoardTicket,
  boardSettingsSchema,
  type Priority,
  type TicketBoard,
} from "./json.ts";
import { classify, firstResponseDue, type Placement, type SlaRow } from "./sla.ts";

const SETTINGS_KEY = "ticket_board";
/** Named rather than "not closed", so the status index serves the query. */
const ACTIVE_STATUSES = TICKET_STATUSES.filter((status) => !(CLOSED_STATUSES as readonly string[]).includes(status));
const PRIORITY_RANK = Object.fromEntries(TICKET_PRIORITIES.map((priority, rank) => [priority, rank])) as Record<
  Priority,
  number
>;

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

/** Every active ticket's SLA columns (optionally of one group or assignee). */
function activeTickets(db: CodexDb, filter: BoardFilter): Promise<SlaRow[]> {
  const tickets = db.t.tickets;
  const where: (SQL | undefined)[] = [
    inArray(tickets.status, ACTIVE_STATUSES),
    filter.group ? eq(tickets.groupName, filter.group) : undefined,
    filter.assignee === "unassigned"
      ? isNull(tickets.assigneeId)
      : filter.assignee
        ? eq(tickets.assigneeId, filter.assignee)
        : undefined,
  ];
  const sla: { [K in keyof SlaRow]: (typeof tickets)[K] } = {
    id: tickets.id,
    status: tickets.status,
    priority: tickets.priority,
    ticketType: tickets.ticketType,
    createdAt: tickets.createdAt,
    firstResponseDueAt: tickets.firstResponseDueAt,
    dueAt: tickets.dueAt,
    firstRespondedAt: tickets.firstRespondedAt,
    agentRespondedAt: tickets.agentRespondedAt,
  };
  return db.db
    .select(sla)
    .from(tickets)
    .where(and(...where));
}

/** What the board shows of the tickets it lists, besides their SLA columns. */
async function shownDetails(db: CodexDb, ids: number[]) {
  const tickets = db.t.tickets;
  const details = await selectIn(ids, (part) =>
    db.db
      .select({
        id: tickets.id,
        ticketNumber: tickets.ticketNumber,
        subject: tickets.subject,
        groupName: tickets.groupName,
        requesterId: tickets.requesterId,
        requesterName: tickets.requesterName,
        requesterEmail: tickets.requesterEmail,
        assigneeId: tickets.assigneeId,
        externalSource: tickets.externalSource,
        externalId: tickets.externalId,
        account: db.t.companies.accountNumber,
        companyName: db.t.companies.name,
      })
      .from(tickets)
      .innerJoin(db.t.companies, eq(db.t.companies.id, tickets.companyId))
      .where(inArray(tickets.id, part as number[])),
  );
  const agents = await agentNames(
    db,
    details.flatMap((detail) => (detail.assigneeId ? [detail.assigneeId] : [])),
  );
  // A requester named on the ticket needs no lookup; one known only by contact id does.
  const requesterNames = await namesById(
    db,
    db.t.contacts,
    details.flatMap((detail) => (detail.requesterId && !detail.requesterName ? [detail.requesterId] : [])),
  );
  return new Map(
    details.map((detail) => [
      detail.id,
      {
        ...detail,
        requester:
          detail.requesterName ??
          (detail.requesterId ? requesterNames.get(detail.requesterId) : undefined) ??
          detail.requesterEmail ??
          "—",
        assignee: detail.assigneeId ? (agents.get(detail.assigneeId) ?? `Agent ${detail.assigneeId}`) : "Unassigned",
      },
    ]),
  );
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

type Placed = { row: SlaRow; placement: Placement };

/** Urgent first; within a priority, the longest without an update first. */
const byUrgency = (a: Placed, b: Placed) =>
  PRIORITY_RANK[b.row.priority] - PRIORITY_RANK[a.row.priority] ||
  a.placement.lastUpdate.getTime() - b.placement.lastUpdate.getTime() ||
  a.row.id - b.row.id;

/**
 * The board: active tickets (optionally of one group or assignee) in four sections, most
 * pressing first, each cut to `perSection` when given. Every active ticket is classified from
 * its SLA columns alone; subjects, companies and names are read only for the tickets shown.
 */
export async function ticketBoard(db: CodexDb, filter: BoardFilter, now = new Date(), perSection?: number) {
  const settings = await readBoardSettings(db);
  const active = await activeTickets(db, filter);
  const sections: Record<1 | 2 | 3 | 4, Placed[]> = { 1: [], 2: [], 3: [], 4: [] };
  for (const row of active) {
    const placement = classify(row, settings, now);
    sections[placement.section].push({ row, placement });
  }
  const shown = ([1, 2, 3, 4] as const).map((section) =>
    sections[section].sort(byUrgency).slice(0, perSection ?? sections[section].length),
  );
  const details = await shownDetails(
    db,
    shown.flatMap((list) => list.map((placed) => placed.row.id)),
  );
  // A ticket closed between the two reads has no details any more; it simply drops off.
  const toJson = (list: Placed[]): BoardTicket[] =>
    list.flatMap(({ row, placement }) => {
      const detail = details.get(row.id);
      if (!detail) return [];
      return [
        {
          id: row.id,
          ticket_number: detail.ticketNumber,
          subject: detail.subject,
          company: detail.account,
          company_name: detail.companyName,
          status: row.status,
          priority: row.priority,
          ticket_type: row.ticketType,
          group_name: detail.groupName,
          requester_name: detail.requester,
          assignee_id: detail.assigneeId,
          assignee_name: detail.assignee,
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
          external_source: detail.externalSource,
          external_id: detail.externalId,
        },
      ];
    });
  const board: TicketBoard = {
    section1: toJson(shown[0]!),
    section2: toJson(shown[1]!),
    section3: toJson(shown[2]!),
    section4: toJson(shown[3]!),
    section_totals: {
      section1: sections[1].length,
      section2: sections[2].length,
      section3: sections[3].length,
      section4: sections[4].length,
    },
    total_active: active.length,
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

/** The groups tickets are in, for the board's filter. */
export async function ticketGroups(db: CodexDb): Promise<string[]> {
  const tickets = db.t.tickets;
  const rows = await db.db
    .selectDistinct({ group: tickets.groupName })
    .from(tickets)
    .where(inArray(tickets.status, ACTIVE_STATUSES));
  return rows.flatMap((row) => (row.group ? [row.group] : [])).sort();
}
