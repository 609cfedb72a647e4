import { z } from "zod";
import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import { CLOSED_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES, type Ticket } from "../db/schema.ts";
import { selectIn } from "../shared/data-common.ts";

/**
 * The ticket board (the old Beacon feed): every active ticket in four sections with its SLA
 * state, from thresholds an admin sets per priority (stored in app_settings).
 */

type Priority = (typeof TICKET_PRIORITIES)[number];
const SETTINGS_KEY = "ticket_board";
const MAX_MINUTES = 365 * 24 * 60;

const perPriority = (defaults: Record<Priority, number>) =>
  z
    .object(
      Object.fromEntries(
        TICKET_PRIORITIES.map((p) => [p, z.number().int().min(1).max(MAX_MINUTES).default(defaults[p])]),
      ) as Record<Priority, z.ZodDefault<z.ZodNumber>>,
    )
    .default(defaults);

/** Defaults are the old system's: update overdue after 30 min / 2 / 3 / 4 days; critical under 4 h, warning under 12 h. */
export const boardSettingsSchema = z
  .object({
    /** A ticket with no update from the MSP for this long (minutes) is overdue for an update. */
    update_overdue_minutes: perPriority({ urgent: 30, high: 2 * 1440, medium: 3 * 1440, low: 4 * 1440 }),
    /** Less than this left before a due date (first response or resolution) is critical… */
    due_critical_minutes: perPriority({ urgent: 240, high: 240, medium: 240, low: 240 }),
    /** …and less than this is a warning. */
    due_warning_minutes: perPriority({ urgent: 720, high: 720, medium: 720, low: 720 }),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const p of TICKET_PRIORITIES) {
      if (s.due_warning_minutes[p] < s.due_critical_minutes[p])
        ctx.addIssue({
          code: "custom",
          path: ["due_warning_minutes", p],
          message: "The warning must come at or before the critical mark.",
        });
    }
  });
export type BoardSettings = z.infer<typeof boardSettingsSchema>;

export async function readBoardSettings(
  h: CodexDb,
): Promise<BoardSettings & { updated_by: string | null; updated_at: string | null }> {
  const [row] = await h.db.select().from(h.t.appSettings).where(eq(h.t.appSettings.key, SETTINGS_KEY));
  const parsed = boardSettingsSchema.safeParse(row?.value ?? {});
  // A row that no longer parses (hand-edited, older version) reads as the defaults rather than breaking the board.
  const settings = parsed.success ? parsed.data : boardSettingsSchema.parse({});
  return { ...settings, updated_by: row?.updatedBy ?? null, updated_at: row?.updatedAt.toISOString() ?? null };
}

export async function writeBoardSettings(h: CodexDb, settings: BoardSettings, actor: string): Promise<void> {
  const t = h.t.appSettings;
  const value = boardSettingsSchema.parse(settings) as Record<string, unknown>;
  const now = new Date();
  await h.db
    .insert(t)
    .values({ key: SETTINGS_KEY, value, updatedBy: actor, updatedAt: now })
    .onConflictDoUpdate({ target: t.key, set: { value, updatedBy: actor, updatedAt: now } });
}

export type SlaState = "overdue" | "critical" | "warning" | "ok" | "met" | "none";

export interface BoardTicket {
  id: number;
  ticket_number: string | null;
  subject: string;
  company: string;
  company_name: string;
  status: Ticket["status"];
  priority: Priority;
  ticket_type: string | null;
  group_name: string | null;
  requester_name: string;
  assignee_id: number | null;
  assignee_name: string;
  created_at: string;
  /** The MSP's latest public reply (or the first response, or the ticket's creation). */
  last_update_at: string;
  update_overdue: boolean;
  first_response: { due_at: string | null; responded_at: string | null; state: SlaState };
  resolution: { due_at: string | null; state: SlaState };
  /** What the board shows: one state and a sentence. */
  sla: { state: SlaState; text: string };
  external_source: string | null;
  external_id: string | null;
}

export interface BoardFilter {
  group?: string;
  /** An agent id, or "unassigned". */
  assignee?: number | "unassigned";
}

const SECTION_ONE = new Set(["open", "update_needed", "pending"]);
/** Named rather than "not closed", so the status index serves the query. */
const ACTIVE_STATUSES = TICKET_STATUSES.filter((s) => !(CLOSED_STATUSES as readonly string[]).includes(s));
const PRIORITY_RANK: Record<Priority, number> = { urgent: 4, high: 3, medium: 2, low: 1 };

/** "2.5 h", "3.0 days", "12 min", for how long ago or how long left. */
export function span(ms: number): string {
  const m = Math.abs(ms) / 60_000;
  if (m >= 2 * 1440) return `${(m / 1440).toFixed(1)} days`;
  if (m >= 60) return `${(m / 60).toFixed(1)} h`;
  return `${Math.max(0, Math.round(m))} min`;
}

function dueState(due: Date | null, now: Date, s: BoardSettings, p: Priority): SlaState {
  if (!due) return "none";
  const left = due.getTime() - now.getTime();
  if (left < 0) return "overdue";
  if (left < s.due_critical_minutes[p] * 60_000) return "critical";
  if (left < s.due_warning_minutes[p] * 60_000) return "warning";
  return "ok";
}

const latest = (...dates: (Date | null)[]) =>
  new Date(Math.max(...dates.filter((d): d is Date => d !== null).map((d) => d.getTime())));

/** What deciding a ticket's section and rank needs: read for every active ticket, so kept small. */
type SlaRow = Pick<
  Ticket,
  | "id"
  | "status"
  | "priority"
  | "ticketType"
  | "createdAt"
  | "firstResponseDueAt"
  | "dueAt"
  | "firstRespondedAt"
  | "agentRespondedAt"
>;

/** One ticket's section (1–4) and SLA, as the old dashboard decided them. */
export function classify(
  t: Omit<SlaRow, "id">,
  s: BoardSettings,
  now: Date,
): {
  section: 1 | 2 | 3 | 4;
  lastUpdate: Date;
  updateOverdue: boolean;
  firstResponse: SlaState;
  resolution: SlaState;
  sla: { state: SlaState; text: string };
} {
  const p = t.priority;
  const lastUpdate = latest(t.agentRespondedAt, t.firstRespondedAt, t.createdAt);
  const since = now.getTime() - lastUpdate.getTime();
  const updateOverdue = since > s.update_overdue_minutes[p] * 60_000;
  // Service requests have no first-response target of their own: their due date stands in.
  const frDue = t.ticketType === "Service Request" ? t.dueAt : t.firstResponseDueAt;
  const firstResponse = t.firstRespondedAt ? "met" : dueState(frDue, now, s, p);
  const resolution = dueState(t.dueAt, now, s, p);
  const status = t.status.replace(/_/g, " ");
  const base = { lastUpdate, updateOverdue, firstResponse, resolution };
  if (t.status === "customer_replied")
    return {
      ...base,
      section: 2,
      sla: { state: "warning", text: `Customer replied, ${span(since)} since our last update` },
    };
  if (updateOverdue)
    return {
      ...base,
      section: 3,
      sla: { state: "overdue", text: `Update overdue: ${status}, no update for ${span(since)}` },
    };
  if (SECTION_ONE.has(t.status)) {
    if (firstResponse !== "met") {
      const text =
        firstResponse === "none"
          ? "No first-response due date"
          : firstResponse === "overdue"
            ? `First response overdue by ${span(now.getTime() - frDue!.getTime())}`
            : `${span(frDue!.getTime() - now.getTime())} to first response`;
      return { ...base, section: 1, sla: { state: firstResponse, text } };
    }
    const text =
      resolution === "none"
        ? `${status}, first response met`
        : resolution === "overdue"
          ? `Resolution overdue by ${span(now.getTime() - t.dueAt!.getTime())}`
          : `${span(t.dueAt!.getTime() - now.getTime())} to resolution`;
    return { ...base, section: 1, sla: { state: resolution === "none" ? "met" : resolution, text } };
  }
  if (t.status === "waiting_customer")
    return {
      ...base,
      section: 4,
      sla: { state: "none", text: `Waiting on the customer (our last update ${span(since)} ago)` },
    };
  if (t.status === "on_hold")
    return { ...base, section: 4, sla: { state: "none", text: `On hold (${span(since)} since our last update)` } };
  return {
    ...base,
    section: 4,
    sla: {
      state: resolution,
      text:
        resolution === "overdue"
          ? `${status}: resolution overdue by ${span(now.getTime() - t.dueAt!.getTime())}`
          : `${status} (${span(since)} since our last update)`,
    },
  };
}

type Placed = { row: SlaRow; k: ReturnType<typeof classify> };

/**
 * The board: active tickets (optionally of one group or assignee) in four sections, most
 * pressing first, each cut to `perSection` when given. Every active ticket is classified from
 * its SLA columns alone; subjects, companies and names are read only for the tickets shown.
 */
export async function ticketBoard(h: CodexDb, filter: BoardFilter, now = new Date(), perSection?: number) {
  const t = h.t.tickets;
  const settings = await readBoardSettings(h);
  const where: (SQL | undefined)[] = [
    inArray(t.status, ACTIVE_STATUSES),
    filter.group ? eq(t.groupName, filter.group) : undefined,
    filter.assignee === "unassigned"
      ? isNull(t.assigneeId)
      : filter.assignee
        ? eq(t.assigneeId, filter.assignee)
        : undefined,
  ];
  const sla: { [K in keyof SlaRow]: (typeof t)[K] } = {
    id: t.id,
    status: t.status,
    priority: t.priority,
    ticketType: t.ticketType,
    createdAt: t.createdAt,
    firstResponseDueAt: t.firstResponseDueAt,
    dueAt: t.dueAt,
    firstRespondedAt: t.firstRespondedAt,
    agentRespondedAt: t.agentRespondedAt,
  };
  const active = await h.db
    .select(sla)
    .from(t)
    .where(and(...where));

  const sections: Record<1 | 2 | 3 | 4, Placed[]> = { 1: [], 2: [], 3: [], 4: [] };
  for (const row of active) {
    const k = classify(row, settings, now);
    sections[k.section].push({ row, k });
  }
  // Urgent first; within a priority, the longest without an update first.
  const byUrgency = (a: Placed, b: Placed) =>
    PRIORITY_RANK[b.row.priority] - PRIORITY_RANK[a.row.priority] ||
    a.k.lastUpdate.getTime() - b.k.lastUpdate.getTime() ||
    a.row.id - b.row.id;
  const shown = ([1, 2, 3, 4] as const).map((n) =>
    sections[n].sort(byUrgency).slice(0, perSection ?? sections[n].length),
  );

  const details = new Map(
    (
      await selectIn(
        shown.flatMap((list) => list.map((p) => p.row.id)),
        (part) =>
          h.db
            .select({
              id: t.id,
              ticketNumber: t.ticketNumber,
              subject: t.subject,
              groupName: t.groupName,
              requesterId: t.requesterId,
              requesterName: t.requesterName,
              requesterEmail: t.requesterEmail,
              assigneeId: t.assigneeId,
              externalSource: t.externalSource,
              externalId: t.externalId,
              acct: h.t.companies.accountNumber,
              companyName: h.t.companies.name,
            })
            .from(t)
            .innerJoin(h.t.companies, eq(h.t.companies.id, t.companyId))
            .where(inArray(t.id, part as number[])),
      )
    ).map((d) => [d.id, d]),
  );
  const agentIds = [...new Set([...details.values()].flatMap((d) => (d.assigneeId ? [d.assigneeId] : [])))];
  const agents = new Map(
    (
      await selectIn(agentIds, (part) =>
        h.db
          .select({ id: h.t.agents.id, name: h.t.agents.name })
          .from(h.t.agents)
          .where(inArray(h.t.agents.id, part as number[])),
      )
    ).map((a) => [a.id, a.name]),
  );
  const requesterIds = [
    ...new Set([...details.values()].flatMap((d) => (d.requesterId && !d.requesterName ? [d.requesterId] : []))),
  ];
  const requesters = new Map(
    (
      await selectIn(requesterIds, (part) =>
        h.db
          .select({ id: h.t.contacts.id, name: h.t.contacts.name })
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.id, part as number[])),
      )
    ).map((c) => [c.id, c.name]),
  );

  // A ticket closed between the two reads has no details any more; it simply drops off.
  const toJson = (list: Placed[]): BoardTicket[] =>
    list.flatMap(({ row: x, k }) => {
      const d = details.get(x.id);
      if (!d) return [];
      return [
        {
          id: x.id,
          ticket_number: d.ticketNumber,
          subject: d.subject,
          company: d.acct,
          company_name: d.companyName,
          status: x.status,
          priority: x.priority,
          ticket_type: x.ticketType,
          group_name: d.groupName,
          requester_name:
            d.requesterName ?? (d.requesterId ? requesters.get(d.requesterId) : undefined) ?? d.requesterEmail ?? "—",
          assignee_id: d.assigneeId,
          assignee_name: d.assigneeId ? (agents.get(d.assigneeId) ?? `Agent ${d.assigneeId}`) : "Unassigned",
          created_at: x.createdAt.toISOString(),
          last_update_at: k.lastUpdate.toISOString(),
          update_overdue: k.updateOverdue,
          first_response: {
            due_at: (x.ticketType === "Service Request" ? x.dueAt : x.firstResponseDueAt)?.toISOString() ?? null,
            responded_at: x.firstRespondedAt?.toISOString() ?? null,
            state: k.firstResponse,
          },
          resolution: { due_at: x.dueAt?.toISOString() ?? null, state: k.resolution },
          sla: k.sla,
          external_source: d.externalSource,
          external_id: d.externalId,
        },
      ];
    });
  const [lastSync] = await h.db
    .select({ at: h.t.syncJobs.finishedAt })
    .from(h.t.syncJobs)
    .where(and(inArray(h.t.syncJobs.kind, ["tickets", "tickets_full"]), eq(h.t.syncJobs.status, "succeeded")))
    .orderBy(desc(h.t.syncJobs.finishedAt))
    .limit(1);
  return {
    section1: toJson(shown[0]!),
    section2: toJson(shown[1]!),
    section3: toJson(shown[2]!),
    section4: toJson(shown[3]!),
    /** How many tickets each section holds, whether or not `per_section` cut the lists. */
    section_totals: {
      section1: sections[1].length,
      section2: sections[2].length,
      section3: sections[3].length,
      section4: sections[4].length,
    },
    total_active: active.length,
    generated_at: now.toISOString(),
    last_sync_time: lastSync?.at?.toISOString() ?? null,
    thresholds: {
      update_overdue_minutes: settings.update_overdue_minutes,
      due_critical_minutes: settings.due_critical_minutes,
      due_warning_minutes: settings.due_warning_minutes,
    },
  };
}
export type TicketBoard = Awaited<ReturnType<typeof ticketBoard>>;

/** The groups tickets are in, for the board's filter. */
export async function ticketGroups(h: CodexDb): Promise<string[]> {
  const rows = await h.db
    .selectDistinct({ g: h.t.tickets.groupName })
    .from(h.t.tickets)
    .where(inArray(h.t.tickets.status, ACTIVE_STATUSES));
  return rows.flatMap((r) => (r.g ? [r.g] : [])).sort();
}
