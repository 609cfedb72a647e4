import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { upsertAgents } from "../src/agents/data.ts";
import { requireTicket, upsertTickets } from "../src/tickets/data.ts";
import { addEntry } from "../src/tickets/data-entries.ts";
import { DEFAULT_PRIORITY_MAP, DEFAULT_STATUS_MAP } from "../src/integrations/settings.ts";
import { ticketRow } from "../src/integrations/freshservice/mapping.ts";
import { SECTION_ROWS } from "../src/tickets/board/json.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

const PREFIX = "/codex";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

interface BoardRow {
  subject: string;
  sla: { state: string; text: string };
  requester_name: string;
  assignee_name: string;
  update_overdue: boolean;
  first_response: { state: string };
  resolution: { state: string };
}
type Board = Record<"section1" | "section2" | "section3" | "section4", BoardRow[]> & {
  total_active: number;
  last_sync_time: string | null;
};

/** Tickets whose section and SLA are known from their dates, relative to now. */
function boardTickets() {
  const base = { company: "ACME-001", external_source: "test" };
  return [
    {
      ...base,
      external_id: "t1",
      subject: "Urgent, new, first response due soon",
      priority: "urgent",
      status: "open",
      created_at: at(-10 * MIN),
      first_response_due_at: at(50 * MIN),
      due_at: at(4 * HOUR),
      requester_name: "Ann Archer",
    },
    {
      ...base,
      external_id: "t2",
      subject: "High, plenty of time",
      priority: "high",
      status: "open",
      created_at: at(-HOUR),
      first_response_due_at: at(20 * HOUR),
      due_at: at(2 * DAY),
    },
    {
      ...base,
      external_id: "t3",
      subject: "Medium pending, warning",
      priority: "medium",
      status: "pending",
      created_at: at(-HOUR),
      first_response_due_at: at(8 * HOUR),
      due_at: at(2 * DAY),
    },
    {
      ...base,
      external_id: "t4",
      subject: "First response missed",
      priority: "medium",
      status: "open",
      created_at: at(-2 * HOUR),
      first_response_due_at: at(-HOUR),
      due_at: at(DAY),
    },
    {
      ...base,
      external_id: "t5",
      subject: "Customer wrote back",
      priority: "low",
      status: "customer_replied",
      created_at: at(-DAY),
      first_responded_at: at(-20 * HOUR),
      due_at: at(3 * DAY),
    },
    {
      ...base,
      external_id: "t6",
      subject: "Urgent, silent for an hour",
      priority: "urgent",
      status: "update_needed",
      created_at: at(-2 * HOUR),
      first_responded_at: at(-90 * MIN),
      agent_responded_at: at(-HOUR),
      due_at: at(2 * HOUR),
    },
    {
      ...base,
      external_id: "t7",
      subject: "Waiting on the customer",
      priority: "low",
      status: "waiting_customer",
      created_at: at(-2 * DAY),
      first_responded_at: at(-2 * DAY),
      agent_responded_at: at(-DAY),
      due_at: at(3 * DAY),
    },
    {
      ...base,
      external_id: "t8",
      subject: "Parked",
      priority: "medium",
      status: "on_hold",
      created_at: at(-DAY),
      first_responded_at: at(-DAY),
      due_at: at(DAY),
    },
    { ...base, external_id: "t9", subject: "Done already", priority: "urgent", status: "closed", created_at: at(-DAY) },
    {
      ...base,
      external_id: "t10",
      subject: "Service request due soon",
      priority: "low",
      status: "open",
      ticket_type: "Service Request",
      created_at: at(-HOUR),
      first_response_due_at: null,
      due_at: at(2 * HOUR),
    },
    {
      ...base,
      external_id: "t11",
      subject: "Answered, resolution on track",
      priority: "high",
      status: "open",
      created_at: at(-3 * HOUR),
      first_responded_at: at(-2 * HOUR),
      agent_responded_at: at(-2 * HOUR),
      due_at: at(3 * DAY),
      group_name: "Projects",
    },
  ];
}

for (const engine of ENGINES) {
  describe(`ticket board (${engine})`, () => {
    let codex: CodexUnderTest;
    let techAgent: number;

    beforeAll(async () => {
      codex = await startCodex(engine);
      const h = codex.deps.db;
      await seedFixture(h);
      // Only the board's tickets: the fixture's are made without SLA dates.
      await h.db.delete(h.t.tickets);
      await upsertAgents(h, [{ email: "pat@msp.example", name: "Pat Other" }], { name: "fixture" });
      techAgent = (await h.db.select().from(h.t.agents).where(eq(h.t.agents.username, "tech")))[0]!.id;
      const rows = boardTickets().map((r) =>
        r.external_id === "t2" || r.external_id === "t11" ? { ...r, assignee_id: techAgent } : r,
      );
      const result = await upsertTickets(h, rows, { name: "fixture" });
      expect(result.errors).toBe(0);
    });
    afterAll(() => codex.stop());

    const board = async (query = "", level: PermissionLevel | "service" = "technician"): Promise<Board> => {
      const res = await codex.call(level, "GET", `/api/tickets/active${query}`);
      expect(res.status).toBe(200);
      return res.json() as Promise<Board>;
    };
    const subjects = (rows: BoardRow[]) => rows.map((r) => r.subject);
    const row = (b: Board, subject: string) =>
      [...b.section1, ...b.section2, ...b.section3, ...b.section4].find((r) => r.subject === subject)!;

    test("active tickets fall into the four sections with the old dashboard's SLA rules", async () => {
      const b = await board();
      expect(b.total_active).toBe(10);
      expect(subjects(b.section1)).toEqual(
        [
          "Urgent, new, first response due soon",
          "First response missed",
          "Medium pending, warning",
          "Service request due soon",
          "High, plenty of time",
          "Answered, resolution on track",
        ].sort((x, y) => order(x) - order(y)),
      );
      expect(subjects(b.section2)).toEqual(["Customer wrote back"]);
      expect(subjects(b.section3)).toEqual(["Urgent, silent for an hour"]);
      expect(subjects(b.section4)).toEqual(["Parked", "Waiting on the customer"]);
      expect(row(b, "Urgent, new, first response due soon").sla).toEqual({
        state: "critical",
        text: expect.stringMatching(/^(49|50) min to first response$/),
      });
      expect(row(b, "High, plenty of time").sla.state).toBe("ok");
      expect(row(b, "Medium pending, warning").sla.state).toBe("warning");
      expect(row(b, "First response missed").sla).toEqual({
        state: "overdue",
        text: expect.stringMatching(/^First response overdue by 60 min$|^First response overdue by 1\.0 h$/),
      });
      expect(row(b, "Service request due soon").sla.state).toBe("critical");
      expect(row(b, "Answered, resolution on track")).toMatchObject({
        first_response: { state: "met" },
        resolution: { state: "ok" },
        sla: { state: "ok" },
      });
      expect(row(b, "Customer wrote back").sla.state).toBe("warning");
      expect(row(b, "Urgent, silent for an hour")).toMatchObject({
        update_overdue: true,
        sla: { state: "overdue", text: expect.stringContaining("Update overdue") },
      });
      expect(row(b, "Waiting on the customer").sla.state).toBe("none");
      expect(row(b, "Urgent, new, first response due soon").requester_name).toBe("Ann Archer");
      expect(row(b, "High, plenty of time").assignee_name).toBe("Terry Tech");
      expect(row(b, "Parked").assignee_name).toBe("Unassigned");
      expect(JSON.stringify(b)).not.toContain("Done already");
      expect(b.last_sync_time).toBeNull();
    });

    /** Urgent first, then the longest without an update (created earliest here). */
    function order(subject: string): number {
      const rank = { urgent: 0, high: 1, medium: 2, low: 3 } as const;
      const t: { priority: string; created_at: string; first_responded_at?: string; agent_responded_at?: string } =
        boardTickets().find((x) => x.subject === subject)!;
      return (
        rank[t.priority as keyof typeof rank] * 1e15 +
        Date.parse(t.agent_responded_at ?? t.first_responded_at ?? t.created_at)
      );
    }

    test("filters by assignee (an id, unassigned, or me) and by group", async () => {
      expect(subjects((await board(`?assignee=${techAgent}`)).section1).sort()).toEqual([
        "Answered, resolution on track",
        "High, plenty of time",
      ]);
      expect((await board("?assignee=unassigned")).total_active).toBe(8);
      expect(subjects((await board("?group=Projects")).section1)).toEqual(["Answered, resolution on track"]);
      const asTech = await codex.app.fetch(
        new Request("http://codex.test/api/tickets/active?assignee=me", {
          headers: { authorization: `Bearer ${await codex.token("technician", { user: "tech" })}` },
        }),
      );
      expect(((await asTech.json()) as Board).total_active).toBe(2);
      expect((await board("?assignee=me", "admin")).total_active).toBe(0);
      expect((await board("?assignee=me", "service")).total_active).toBe(0);
      expect((await codex.call("technician", "GET", "/api/tickets/active?assignee=someone")).status).toBe(422);
    });

    test("staff and services read the board; clients never", async () => {
      expect((await board("", "billing")).total_active).toBe(10);
      expect((await codex.call("client", "GET", "/api/tickets/active")).status).toBe(403);
      expect((await codex.call("client", "GET", "/tickets/board", undefined, { accept: "text/html" })).status).toBe(
        403,
      );
    });

    test("the last successful ticket sync is reported", async () => {
      const h = codex.deps.db;
      const finished = new Date(Date.now() - 5 * MIN);
      await h.db.insert(h.t.syncJobs).values([
        {
          id: "job-ok",
          kind: "tickets",
          provider: "freshservice",
          status: "succeeded",
          startedAt: finished,
          finishedAt: finished,
        },
        {
          id: "job-failed",
          kind: "tickets",
          provider: "freshservice",
          status: "failed",
          startedAt: new Date(),
          finishedAt: new Date(),
        },
      ]);
      expect((await board()).last_sync_time).toBe(finished.toISOString());
    });

    test("thresholds are an admin setting (the old defaults); changes move tickets between sections", async () => {
      const defaults = await (await codex.call("technician", "GET", "/api/settings/ticket-board")).json();
      expect(defaults).toMatchObject({
        update_overdue_minutes: { urgent: 30, high: 2880, medium: 4320, low: 5760 },
        due_critical_minutes: { urgent: 240 },
        due_warning_minutes: { low: 720 },
        updated_by: null,
      });
      expect(
        (
          await codex.call("technician", "PUT", "/api/settings/ticket-board", {
            update_overdue_minutes: { urgent: 180 },
          })
        ).status,
      ).toBe(403);
      const bad = await codex.call("admin", "PUT", "/api/settings/ticket-board", { due_warning_minutes: { high: 60 } });
      expect(bad.status).toBe(422);
      expect((await bad.json()).error.details).toEqual([
        { field: "due_warning_minutes.high", message: expect.stringContaining("critical") },
      ]);
      expect(
        (await codex.call("admin", "PUT", "/api/settings/ticket-board", { update_overdue_minutes: { urgent: 0 } }))
          .status,
      ).toBe(422);
      const ok = await codex.call("admin", "PUT", "/api/settings/ticket-board", {
        update_overdue_minutes: { urgent: 180 },
        due_critical_minutes: { high: 60 },
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({
        update_overdue_minutes: { urgent: 180, high: 2880 },
        due_critical_minutes: { high: 60, urgent: 240 },
        updated_by: "admin",
      });
      const b = await board();
      expect(subjects(b.section3)).toEqual([]);
      expect(row(b, "Urgent, silent for an hour").sla.state).toBe("critical");
      await codex.call("admin", "PUT", "/api/settings/ticket-board", {
        update_overdue_minutes: { urgent: 30 },
        due_critical_minutes: { high: 240 },
      });
    });

    test("a technician's public reply counts as an update; a private note does not", async () => {
      const h = codex.deps.db;
      const [t6] = await h.db.select().from(h.t.tickets).where(eq(h.t.tickets.externalId, "t6"));
      await addEntry(
        h,
        t6!,
        { kind: "note", body: "looking", authorName: "Terry Tech", authorEmail: null, incoming: false },
        { name: "tech" },
      );
      expect(subjects((await board()).section3)).toEqual(["Urgent, silent for an hour"]);
      await addEntry(
        h,
        await requireTicket(h, t6!.id),
        { kind: "reply", body: "On it", authorName: "Terry Tech", authorEmail: null, incoming: false },
        { name: "tech" },
      );
      expect((await requireTicket(h, t6!.id)).agentRespondedAt).not.toBeNull();
      expect(subjects((await board()).section1)).toContain("Urgent, silent for an hour");
    });

    test("the board page shows the four sections with SLA badges and refreshes itself, without scripts", async () => {
      const res = await codex.call("billing", "GET", "/tickets/board?assignee=unassigned", undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      expect(res.status).toBe(200);
      const html = await res.text();
      assertClassesDefined(html, "/tickets/board");
      expect(html).not.toMatch(/<script|style=/);
      expect(html).toContain('<meta http-equiv="refresh" content="60"/>');
      for (const title of ["Open, update needed and pending", "Customer replied", "Update overdue", "Other active"])
        expect(html).toContain(title);
      expect(html).toContain('<span class="badge badge--danger">overdue</span> First response overdue');
      expect(html).toContain('<option value="unassigned" selected="">Unassigned</option>');
      expect(html).not.toContain("High, plenty of time");
      expect(html).toContain(`href="${PREFIX}/tickets/`);
      const bad = await codex.call("technician", "GET", "/tickets/board?assignee=nobody", undefined, {
        accept: "text/html",
      });
      expect(bad.status).toBe(200);
      expect(await bad.text()).toContain("Ignored an invalid filter.");
    });

    test("someone who needs longer than a minute stops the refresh, and filtering keeps it stopped", async () => {
      const html = await (
        await codex.call("technician", "GET", "/tickets/board?assignee=unassigned", undefined, {
          accept: "text/html",
          "x-forwarded-prefix": PREFIX,
        })
      ).text();
      expect(html).toContain(`href="${PREFIX}/tickets/board?assignee=unassigned&amp;refresh=off"`);
      expect(html).toContain("Stop refreshing");
      const paused = await (
        await codex.call("technician", "GET", "/tickets/board?assignee=unassigned&refresh=off", undefined, {
          accept: "text/html",
          "x-forwarded-prefix": PREFIX,
        })
      ).text();
      expect(paused).not.toContain('http-equiv="refresh"');
      expect(paused).toContain("Not refreshing");
      expect(paused).toContain('<input type="hidden" name="refresh" value="off"/>');
      expect(paused).toContain(`href="${PREFIX}/tickets/board?assignee=unassigned"`);
      expect(paused).toContain("Refresh every minute");
      assertClassesDefined(paused, "/tickets/board?refresh=off");
    });

    test("the page shows the most pressing tickets of a crowded section and says how many more there are", async () => {
      const crowd = Array.from({ length: SECTION_ROWS + 5 }, (_, i) => ({
        company: "ACME-001",
        external_source: "test",
        external_id: `crowd-${i}`,
        subject: `Crowded ${i}`,
        priority: i === SECTION_ROWS + 4 ? "urgent" : "low",
        status: "open",
        group_name: "Crowd",
        // Recent enough that even the urgent one is not overdue for an update.
        created_at: at(-10 * MIN),
        first_response_due_at: at(10 * DAY),
        due_at: at(20 * DAY),
      }));
      expect((await upsertTickets(codex.deps.db, crowd, { name: "fixture" })).errors).toBe(0);
      const res = await codex.call("technician", "GET", "/tickets/board?group=Crowd", undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      const html = await res.text();
      const section = html.slice(html.indexOf('id="section1"'), html.indexOf('id="section2"'));
      expect(section).toContain(`Open, update needed and pending (${SECTION_ROWS + 5})`);
      expect(section.match(/>Crowded \d+</g)).toHaveLength(SECTION_ROWS);
      expect(section).toContain(`Crowded ${SECTION_ROWS + 4}`);
      expect(section).toContain(`Showing the ${SECTION_ROWS} most pressing of ${SECTION_ROWS + 5}.`);
      const all = await board("?group=Crowd");
      expect(all.section1).toHaveLength(SECTION_ROWS + 5);
      // The API cuts each section on request, most pressing first, still counting them all.
      const cut = (await board("?group=Crowd&per_section=3")) as Board & { section_totals: Record<string, number> };
      expect(cut.section1.map((r) => r.subject)).toEqual(all.section1.slice(0, 3).map((r) => r.subject));
      expect(cut.section1[0]!.subject).toBe(`Crowded ${SECTION_ROWS + 4}`);
      expect(cut.section_totals).toEqual({ section1: SECTION_ROWS + 5, section2: 0, section3: 0, section4: 0 });
      expect(cut.total_active).toBe(SECTION_ROWS + 5);
      for (const bad of ["0", "-1", "x", "100001"])
        expect((await codex.call("technician", "GET", `/api/tickets/active?per_section=${bad}`)).status).toBe(422);
      await codex.deps.db.db.delete(codex.deps.db.t.tickets).where(eq(codex.deps.db.t.tickets.groupName, "Crowd"));
    });

    test("the admin form edits the thresholds with errors next to the fields", async () => {
      const form = async (fields: Record<string, string>, csrf = true) =>
        codex.call(
          "admin",
          "POST",
          "/admin/ticket-board",
          new URLSearchParams({ ...fields, ...(csrf ? { _csrf: await codex.csrf("admin") } : {}) }).toString(),
          {
            accept: "text/html",
            "content-type": "application/x-www-form-urlencoded",
            "x-forwarded-prefix": PREFIX,
          },
        );
      const page = await codex.call("admin", "GET", "/admin/ticket-board", undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      const html = await page.text();
      assertClassesDefined(html, "/admin/ticket-board");
      expect(html).toContain('name="update_overdue_minutes.urgent"');
      const inputs = [...html.matchAll(/<input[^>]*>/g)].map((m) => m[0]);
      const values = Object.fromEntries(
        inputs.flatMap((tag) => {
          const name = /name="([a-z_]+\.[a-z]+)"/.exec(tag)?.[1];
          return name ? [[name, /value="(\d+)"/.exec(tag)![1]!]] : [];
        }),
      );
      expect(Object.keys(values)).toHaveLength(12);
      expect((await form(values, false)).status).toBe(403);
      const bad = await form({ ...values, "update_overdue_minutes.low": "soon", "due_warning_minutes.medium": "10" });
      expect(bad.status).toBe(422);
      const errors = await bad.text();
      expect(errors).toContain('id="field-update_overdue_minutes-low-error"');
      expect(errors).toContain('id="field-due_warning_minutes-medium-error"');
      const ok = await form({ ...values, "update_overdue_minutes.low": "7200" });
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe(`${PREFIX}/admin/ticket-board?saved=1`);
      expect(
        (await (await codex.call("admin", "GET", "/api/settings/ticket-board")).json()).update_overdue_minutes.low,
      ).toBe(7200);
      expect(
        (await codex.call("technician", "GET", "/admin/ticket-board", undefined, { accept: "text/html" })).status,
      ).toBe(403);
    });
  });
}

describe("Freshservice mapping", () => {
  test("the agent's last response time comes from the ticket's stats", () => {
    const mapped = ticketRow(
      {
        id: 7,
        subject: "x",
        status: 2,
        priority: 1,
        department_id: 11,
        stats: { agent_responded_at: "2026-01-02T03:04:05Z", first_responded_at: "2026-01-01T00:00:00Z" },
      } as never,
      [],
      { statusMap: DEFAULT_STATUS_MAP, priorityMap: DEFAULT_PRIORITY_MAP } as never,
      { companyOfDepartment: new Map([[11, "ACME-001"]]), contacts: new Map(), agents: new Map() },
    );
    expect(mapped.row).toMatchObject({
      agent_responded_at: "2026-01-02T03:04:05.000Z",
      first_responded_at: "2026-01-01T00:00:00.000Z",
    });
  });
});
