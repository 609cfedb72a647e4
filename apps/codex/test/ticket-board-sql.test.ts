import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { CLOSED_STATUSES, TICKET_PRIORITIES, TICKET_STATUSES } from "../src/db/schema.ts";
import type { CodexDb } from "../src/deps.ts";
import { seed } from "../src/seed/seed.ts";
import { readBoardSettings, ticketBoard } from "../src/tickets/board/data.ts";
import type { BoardFilter, Priority } from "../src/tickets/board/json.ts";
import { classify, type Placement } from "../src/tickets/board/sla.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

/**
 * The board places and ranks tickets in SQL (data-sections.ts). It must give exactly the board
 * the earlier version built by reading every active ticket and classifying it in JavaScript:
 * that version is kept here as the reference, and both run on the demo MSP plus tickets placed
 * on each threshold's edge, on both engines.
 */

// Each engine gets the demo MSP (3,000 tickets) and builds the board 30 times over.
setDefaultTimeout(120_000);

const MIN = 60_000;
const ACTIVE = TICKET_STATUSES.filter((status) => !(CLOSED_STATUSES as readonly string[]).includes(status));
const RANK = Object.fromEntries(TICKET_PRIORITIES.map((priority, rank) => [priority, rank])) as Record<
  Priority,
  number
>;

type Ticket = typeof import("../src/db/schema.ts").tickets.$inferSelect;
type Placed = { row: Ticket; placement: Placement };

/** The board as the JavaScript version built it, reduced to what a person sees of each ticket. */
async function boardInJavaScript(db: CodexDb, filter: BoardFilter, now: Date, perSection?: number) {
  const { tickets, companies, agents, contacts } = db.t;
  const settings = await readBoardSettings(db);
  const where: (SQL | undefined)[] = [
    inArray(tickets.status, ACTIVE),
    filter.group ? eq(tickets.groupName, filter.group) : undefined,
    filter.assignee === "unassigned"
      ? isNull(tickets.assigneeId)
      : filter.assignee
        ? eq(tickets.assigneeId, filter.assignee)
        : undefined,
  ];
  const rows = await db.db
    .select()
    .from(tickets)
    .where(and(...where));
  const companyOf = new Map((await db.db.select().from(companies)).map((company) => [company.id, company]));
  const agentName = new Map((await db.db.select().from(agents)).map((agent) => [agent.id, agent.name]));
  const contactName = new Map((await db.db.select().from(contacts)).map((contact) => [contact.id, contact.name]));
  const sections: Record<1 | 2 | 3 | 4, Placed[]> = { 1: [], 2: [], 3: [], 4: [] };
  for (const row of rows) {
    const placement = classify(row, settings, now);
    sections[placement.section].push({ row, placement });
  }
  const byUrgency = (a: Placed, b: Placed) =>
    RANK[b.row.priority] - RANK[a.row.priority] ||
    a.placement.lastUpdate.getTime() - b.placement.lastUpdate.getTime() ||
    a.row.id - b.row.id;
  const shown = ([1, 2, 3, 4] as const).map((section) =>
    sections[section]
      .sort(byUrgency)
      .slice(0, perSection ?? sections[section].length)
      .map(({ row, placement }) => ({
        id: row.id,
        subject: row.subject,
        company: companyOf.get(row.companyId)!.accountNumber,
        company_name: companyOf.get(row.companyId)!.name,
        requester_name:
          row.requesterName ??
          (row.requesterId ? contactName.get(row.requesterId) : undefined) ??
          row.requesterEmail ??
          "—",
        assignee_name: row.assigneeId ? (agentName.get(row.assigneeId) ?? `Agent ${row.assigneeId}`) : "Unassigned",
        last_update_at: placement.lastUpdate.toISOString(),
        update_overdue: placement.updateOverdue,
        first_response: placement.firstResponse,
        resolution: placement.resolution,
        sla: placement.sla,
      })),
  );
  return { shown, totals: ([1, 2, 3, 4] as const).map((section) => sections[section].length), active: rows.length };
}

async function boardInSql(db: CodexDb, filter: BoardFilter, now: Date, perSection?: number) {
  const board = await ticketBoard(db, filter, now, perSection);
  const shown = [board.section1, board.section2, board.section3, board.section4].map((list) =>
    list.map((ticket) => ({
      id: ticket.id,
      subject: ticket.subject,
      company: ticket.company,
      company_name: ticket.company_name,
      requester_name: ticket.requester_name,
      assignee_name: ticket.assignee_name,
      last_update_at: ticket.last_update_at,
      update_overdue: ticket.update_overdue,
      first_response: ticket.first_response.state,
      resolution: ticket.resolution.state,
      sla: ticket.sla,
    })),
  );
  const totals = board.section_totals;
  return {
    shown,
    totals: [totals.section1, totals.section2, totals.section3, totals.section4],
    active: board.total_active,
  };
}

/**
 * Tickets whose last update is exactly each priority's threshold ago, a millisecond less and a
 * millisecond more, reached by creation, first response or public reply, in every active
 * status, with ties in priority and last update, and every way of naming a requester.
 */
async function edgeTickets(db: CodexDb, now: Date) {
  const { tickets, companies, contacts, agents } = db.t;
  const [company] = await db.db.select().from(companies).limit(1);
  const [contact] = await db.db.select().from(contacts).limit(1);
  const [agent] = await db.db.select().from(agents).limit(1);
  const settings = await readBoardSettings(db);
  const rows: (typeof tickets.$inferInsert)[] = [];
  let n = 0;
  for (const priority of TICKET_PRIORITIES) {
    const threshold = settings.update_overdue_minutes[priority] * MIN;
    for (const offset of [-1, 0, 1, 0]) {
      for (const via of ["created", "first", "reply"] as const) {
        const at = new Date(now.getTime() - threshold + offset);
        const earlier = new Date(at.getTime() - 5 * MIN);
        const status = ACTIVE[n % ACTIVE.length]!;
        rows.push({
          companyId: company!.id,
          subject: `Edge ${priority} ${offset} ${via} ${status}`,
          status,
          priority,
          createdAt: via === "created" ? at : earlier,
          firstRespondedAt: via === "first" ? at : via === "reply" ? earlier : null,
          agentRespondedAt: via === "reply" ? at : null,
          firstResponseDueAt: n % 4 === 0 ? null : new Date(now.getTime() + (n - 30) * MIN),
          dueAt: n % 5 === 0 ? null : new Date(now.getTime() + (n - 40) * 10 * MIN),
          ticketType: n % 6 === 0 ? "Service Request" : "Incident",
          requesterId: n % 3 === 0 ? contact!.id : null,
          requesterName: n % 3 === 1 ? `Requester ${n}` : n % 7 === 0 ? "" : null,
          requesterEmail: n % 2 === 0 ? `person${n}@client.example` : null,
          assigneeId: n % 2 === 0 ? agent!.id : null,
          groupName: n % 2 === 0 ? "Edge group" : null,
        });
        n++;
      }
    }
  }
  await db.db.insert(tickets).values(rows);
}

for (const engine of ENGINES) {
  describe(`ticket board in SQL (${engine})`, () => {
    let codex: CodexUnderTest;
    const now = new Date();

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seed(codex.deps.db, "demo", now);
      await edgeTickets(codex.deps.db, now);
    });
    afterAll(async () => {
      await codex.stop();
    });

    test("places, ranks and counts every active ticket exactly as classifying each in JavaScript does", async () => {
      const db = codex.deps.db;
      const [agent] = await db.db.select().from(db.t.agents).limit(1);
      const filters: BoardFilter[] = [
        {},
        { group: "Edge group" },
        { group: "Service desk" },
        { assignee: agent!.id },
        { assignee: "unassigned" },
        { assignee: -1 },
      ];
      for (const filter of filters)
        for (const perSection of [undefined, 1, 7]) {
          const expected = await boardInJavaScript(db, filter, now, perSection);
          expect(await boardInSql(db, filter, now, perSection)).toEqual(expected);
        }
      const all = await boardInSql(db, {}, now);
      // The data reach every section, and only a millisecond past a threshold is overdue.
      expect(all.totals.every((total) => total > 0)).toBe(true);
      const edges = all.shown.flat().filter((ticket) => ticket.subject.startsWith("Edge "));
      expect(edges).toHaveLength(TICKET_PRIORITIES.length * 4 * 3);
      for (const ticket of edges) expect(ticket.update_overdue).toBe(ticket.subject.split(" ")[2] === "-1");
    });

    test("another moment moves tickets across the thresholds the same way in both", async () => {
      const db = codex.deps.db;
      for (const later of [1, 29 * MIN, 30 * MIN, 2 * 1440 * MIN + 1, 4 * 1440 * MIN]) {
        const moment = new Date(now.getTime() + later);
        expect(await boardInSql(db, {}, moment, 5)).toEqual(await boardInJavaScript(db, {}, moment, 5));
      }
    });
  });
}
