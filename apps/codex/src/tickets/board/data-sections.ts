import { and, eq, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { TICKET_PRIORITIES, type TICKET_STATUSES } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { BoardFilter, BoardSettings } from "./json.ts";
import { SECTION_ONE_STATUSES } from "./sla.ts";

type Status = (typeof TICKET_STATUSES)[number];
const CUSTOMER_REPLIED: Status = "customer_replied";

/** One ticket the board shows: its section, its place in it, how many its section holds, and what it shows. */
export type SectionRow = Awaited<ReturnType<typeof sectionRows>>[number];

/**
 * The database's side of the board: every active ticket placed in its section and ranked in it
 * by the same rules as sla.ts's `classify` and the board's order (urgent first; within a
 * priority, the longest without an update first; then by id), in one statement. Only the first
 * `perSection` of each section (all when not given) are read with their details; each row
 * carries its section's total. Deciding in SQL what `classify` decides in JavaScript keeps the
 * board from reading tens of thousands of tickets into JavaScript to show a few hundred.
 */
export function sectionRows(
  db: CodexDb,
  active: readonly Status[],
  filter: BoardFilter,
  settings: BoardSettings,
  now: Date,
  perSection?: number,
) {
  const { tickets, companies, agents, contacts } = db.t;
  const where: (SQL | undefined)[] = [
    inArray(tickets.status, [...active]),
    filter.group ? eq(tickets.groupName, filter.group) : undefined,
    filter.assignee === "unassigned"
      ? isNull(tickets.assigneeId)
      : filter.assignee
        ? eq(tickets.assigneeId, filter.assignee)
        : undefined,
  ];
  // The MSP's last update: its latest public reply, else the first response, else the creation.
  const lastUpdate =
    db.engine === "postgres"
      ? sql`greatest(${tickets.agentRespondedAt}, ${tickets.firstRespondedAt}, ${tickets.createdAt})`
      : sql`max(coalesce(${tickets.agentRespondedAt}, ${tickets.createdAt}), coalesce(${tickets.firstRespondedAt}, ${tickets.createdAt}), ${tickets.createdAt})`;
  // Each level computes its expressions once per ticket: the last update, then the section, then the place.
  const sla = db.db
    .select({
      id: tickets.id,
      status: tickets.status,
      priority: tickets.priority,
      lastUpdate: lastUpdate.as("last_update"),
    })
    .from(tickets)
    .where(and(...where))
    .as("sla");
  // No update for longer than the priority's threshold: the last update is before now minus it.
  const updateOverdue = sql.join(
    TICKET_PRIORITIES.map((priority) => {
      const since = new Date(now.getTime() - settings.update_overdue_minutes[priority] * 60_000);
      return sql`(${sla.priority} = ${priority} and ${sla.lastUpdate} < ${sql.param(since, tickets.createdAt)})`;
    }),
    sql` or `,
  );
  const classified = db.db
    .select({
      id: sla.id,
      lastUpdate: sla.lastUpdate,
      section:
        sql`case when ${sla.status} = ${CUSTOMER_REPLIED} then 2 when ${updateOverdue} then 3 when ${inArray(sla.status, [...SECTION_ONE_STATUSES])} then 1 else 4 end`.as(
          "section",
        ),
      priorityRank: sql`case ${sla.priority} ${sql.join(
        TICKET_PRIORITIES.map((priority, rank) => sql`when ${priority} then ${sql.raw(String(rank))}`),
        sql` `,
      )} end`.as("priority_rank"),
    })
    .from(sla)
    .as("classified");
  const placed = db.db
    .select({
      id: classified.id,
      section: sql<number>`${classified.section}`.mapWith(Number).as("section"),
      position:
        sql<number>`row_number() over (partition by ${classified.section} order by ${classified.priorityRank} desc, ${classified.lastUpdate}, ${classified.id})`
          .mapWith(Number)
          .as("position"),
      sectionTotal: sql<number>`count(*) over (partition by ${classified.section})`.mapWith(Number).as("section_total"),
    })
    .from(classified)
    .as("placed");
  const cut = db.db
    .select()
    .from(placed)
    .where(perSection === undefined ? undefined : lte(placed.position, perSection))
    .$dynamic();
  // At most 4 × perSection rows pass anyway; the bound tells PostgreSQL's planner how few: it then
  // reads each shown ticket by its key instead of hashing the whole tickets table to join them.
  const shown = (perSection === undefined ? cut : cut.limit(4 * perSection)).as("shown");
  return db.db
    .select({
      section: shown.section,
      sectionTotal: shown.sectionTotal,
      id: tickets.id,
      status: tickets.status,
      priority: tickets.priority,
      ticketType: tickets.ticketType,
      createdAt: tickets.createdAt,
      firstResponseDueAt: tickets.firstResponseDueAt,
      dueAt: tickets.dueAt,
      firstRespondedAt: tickets.firstRespondedAt,
      agentRespondedAt: tickets.agentRespondedAt,
      ticketNumber: tickets.ticketNumber,
      subject: tickets.subject,
      groupName: tickets.groupName,
      requesterId: tickets.requesterId,
      requesterName: tickets.requesterName,
      requesterEmail: tickets.requesterEmail,
      assigneeId: tickets.assigneeId,
      externalSource: tickets.externalSource,
      externalId: tickets.externalId,
      account: companies.accountNumber,
      companyName: companies.name,
      agentName: agents.name,
      // A requester named on the ticket needs no lookup; one known only by contact id does.
      contactName: contacts.name,
    })
    .from(shown)
    .innerJoin(tickets, eq(tickets.id, shown.id))
    .innerJoin(companies, eq(companies.id, tickets.companyId))
    .leftJoin(agents, eq(agents.id, tickets.assigneeId))
    .leftJoin(contacts, and(eq(contacts.id, tickets.requesterId), isNull(tickets.requesterName)))
    .orderBy(shown.section, shown.position);
}
