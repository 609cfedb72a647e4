import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { syncOneTicket } from "../../src/integrations/sync/tickets.ts";
import { JobReport } from "../../src/integrations/sync/report.ts";
import { ENGINES } from "./engines.ts";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { configureFreshservice, testContext, type TestContext } from "./setup.ts";

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString().replace(/\.\d{3}Z$/, "Z");

function ticket(id: number, extra: Partial<FakeTicket> = {}): FakeTicket {
  return {
    id,
    subject: `Ticket ${id}`,
    status: 2,
    priority: 2,
    requester_id: 100,
    department_id: 11,
    created_at: iso(5 * 3600_000),
    updated_at: iso(3600_000),
    ...extra,
  };
}

for (const engine of ENGINES) {
  describe(`Freshservice ticket rules (${engine})`, () => {
    let t: TestContext;
    let fs: FakeFreshservice;
    const stored = async (id: number) =>
      (
        await t.h.db.db
          .select()
          .from(t.h.db.t.tickets)
          .where(eq(t.h.db.t.tickets.externalId, String(id)))
      )[0];

    beforeAll(async () => {
      t = await testContext(engine);
      fs = await startFakeFreshservice({
        departments: [{ id: 11, name: "Acme", custom_fields: { account_number: "ACME-001" } }],
        requesters: [
          { id: 100, first_name: "Ann", last_name: "Acme", primary_email: "ann@acme.example", department_ids: [11] },
        ],
        agents: [{ id: 900, first_name: "Tina", last_name: "Tech", email: "tina@msp.example", active: true }],
      });
      await configureFreshservice(t.ctx, fs, {
        statusMap: {
          "2": "open",
          "3": "pending",
          "4": "resolved",
          "5": "closed",
          "6": "on_hold",
          "7": "waiting_customer",
        },
      });
      expect((await (await t.integrations.start("psa", "admin")).done).status).toBe("succeeded");
    });
    afterAll(async () => {
      await t.close();
      await fs.stop();
    });

    test("item 1: spam and trashed tickets (booleans; the status keeps its value) leave Codex when read", async () => {
      fs.data.tickets = [ticket(6001), ticket(6002)];
      const report = new JobReport();
      await syncOneTicket(t.ctx, 6001, report);
      await syncOneTicket(t.ctx, 6002, report);
      expect(await stored(6001)).toBeDefined();
      fs.data.tickets[0] = { ...fs.data.tickets[0]!, spam: true, updated_at: iso(0) };
      fs.data.tickets[1] = { ...fs.data.tickets[1]!, deleted: true, updated_at: iso(0) };
      await syncOneTicket(t.ctx, 6001, report);
      expect(await stored(6001)).toBeUndefined();
      // The incremental sync sees trashed tickets through filter=deleted, not in the default list.
      const job = await (await t.integrations.start("tickets", "tech")).done;
      expect(job.status).toBe("succeeded");
      expect(await stored(6002)).toBeUndefined();
      expect(job.counts.tickets_deleted_in_psa).toBe(1);
    });

    test("item 1: a tenant's custom statuses 6 and 7 are ordinary statuses, mapped and kept", async () => {
      fs.data.tickets = [ticket(6101, { status: 6 }), ticket(6102, { status: 7 })];
      const report = new JobReport();
      await syncOneTicket(t.ctx, 6101, report);
      await syncOneTicket(t.ctx, 6102, report);
      expect(await stored(6101)).toMatchObject({ status: "on_hold", statusId: 6 });
      expect(await stored(6102)).toMatchObject({ status: "waiting_customer", statusId: 7 });
    });

    test("item 2: an incremental sync lists every ticket updated since the last run, however busy", async () => {
      fs.data.tickets = Array.from({ length: 420 }, (_, i) => ticket(7000 + i, { updated_at: iso(60_000 + i) }));
      const job = await (await t.integrations.start("tickets", "tech")).done;
      expect(job.error).toBeNull();
      expect(job.counts.tickets_listed).toBe(420);
      expect(job.counts.tickets_created).toBe(420);
      expect(fs.faults.count(/\/tickets\/filter/)).toBe(0);
      expect(fs.faults.log.some((l) => /\/tickets\?.*updated_since=/.test(l.path))).toBe(true);
    });

    test("item 10: a service request raised for someone else takes the company of requested_for", async () => {
      // Raised by an agent (no Codex contact, no department) for Ann of Acme.
      fs.data.tickets = [ticket(6201, { requester_id: 900, requested_for_id: 100, department_id: null })];
      const report = new JobReport();
      await syncOneTicket(t.ctx, 6201, report);
      expect(report.counts.tickets_without_company).toBeUndefined();
      const row = await stored(6201);
      expect(row).toBeDefined();
      expect(row!.requesterName).toBe("Ann Acme");
    });
  });
}
