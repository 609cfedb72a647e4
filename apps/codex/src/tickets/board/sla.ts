import type { Ticket } from "../../db/schema.ts";
import type { BoardSettings, Priority, SlaState } from "./json.ts";

/** Statuses of section 1 (unless the ticket is overdue for an update); data-sections.ts decides the same in SQL. */
export const SECTION_ONE_STATUSES = ["open", "update_needed", "pending"] as const;
const SECTION_ONE = new Set<string>(SECTION_ONE_STATUSES);

/** "2.5 h", "3.0 days", "12 min", for how long ago or how long left. */
export function span(ms: number): string {
  const minutes = Math.abs(ms) / 60_000;
  if (minutes >= 2 * 1440) return `${(minutes / 1440).toFixed(1)} days`;
  if (minutes >= 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${Math.max(0, Math.round(minutes))} min`;
}

function dueState(due: Date | null, now: Date, settings: BoardSettings, priority: Priority): SlaState {
  if (!due) return "none";
  const left = due.getTime() - now.getTime();
  if (left < 0) return "overdue";
  if (left < settings.due_critical_minutes[priority] * 60_000) return "critical";
  if (left < settings.due_warning_minutes[priority] * 60_000) return "warning";
  return "ok";
}

const latest = (...dates: (Date | null)[]) =>
  new Date(Math.max(...dates.filter((date): date is Date => date !== null).map((date) => date.getTime())));

/** What deciding a ticket's section and rank needs: read for every active ticket, so kept small. */
export type SlaRow = Pick<
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

export interface Placement {
  section: 1 | 2 | 3 | 4;
  lastUpdate: Date;
  updateOverdue: boolean;
  firstResponse: SlaState;
  resolution: SlaState;
  sla: { state: SlaState; text: string };
}

/** Service requests have no first-response target of their own: their due date stands in. */
export const firstResponseDue = (ticket: Pick<SlaRow, "ticketType" | "dueAt" | "firstResponseDueAt">) =>
  ticket.ticketType === "Service Request" ? ticket.dueAt : ticket.firstResponseDueAt;

/** One ticket's section (1–4) and SLA, as the old dashboard decided them. */
export function classify(ticket: Omit<SlaRow, "id">, settings: BoardSettings, now: Date): Placement {
  const priority = ticket.priority;
  const lastUpdate = latest(ticket.agentRespondedAt, ticket.firstRespondedAt, ticket.createdAt);
  const since = now.getTime() - lastUpdate.getTime();
  const updateOverdue = since > settings.update_overdue_minutes[priority] * 60_000;
  const responseDue = firstResponseDue(ticket);
  const firstResponse = ticket.firstRespondedAt ? "met" : dueState(responseDue, now, settings, priority);
  const resolution = dueState(ticket.dueAt, now, settings, priority);
  const status = ticket.status.replace(/_/g, " ");
  const base = { lastUpdate, updateOverdue, firstResponse, resolution };
  const overdueBy = (due: Date) => span(now.getTime() - due.getTime());
  const leftUntil = (due: Date) => span(due.getTime() - now.getTime());
  if (ticket.status === "customer_replied")
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
  if (SECTION_ONE.has(ticket.status)) {
    if (firstResponse !== "met") {
      const text =
        firstResponse === "none"
          ? "No first-response due date"
          : firstResponse === "overdue"
            ? `First response overdue by ${overdueBy(responseDue!)}`
            : `${leftUntil(responseDue!)} to first response`;
      return { ...base, section: 1, sla: { state: firstResponse, text } };
    }
    const text =
      resolution === "none"
        ? `${status}, first response met`
        : resolution === "overdue"
          ? `Resolution overdue by ${overdueBy(ticket.dueAt!)}`
          : `${leftUntil(ticket.dueAt!)} to resolution`;
    return { ...base, section: 1, sla: { state: resolution === "none" ? "met" : resolution, text } };
  }
  if (ticket.status === "waiting_customer")
    return {
      ...base,
      section: 4,
      sla: { state: "none", text: `Waiting on the customer (our last update ${span(since)} ago)` },
    };
  if (ticket.status === "on_hold")
    return { ...base, section: 4, sla: { state: "none", text: `On hold (${span(since)} since our last update)` } };
  return {
    ...base,
    section: 4,
    sla: {
      state: resolution,
      text:
        resolution === "overdue"
          ? `${status}: resolution overdue by ${overdueBy(ticket.dueAt!)}`
          : `${status} (${span(since)} since our last update)`,
    },
  };
}
