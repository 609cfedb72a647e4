import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { companyByAccount, updateCompany } from "../../src/companies/data.ts";
import { updateContact } from "../../src/contacts/data.ts";
import { requireTicket, updateTicket } from "../../src/tickets/data.ts";
import { ticketEntries } from "../../src/tickets/data-entries.ts";
import { JobBusyError } from "../../src/integrations/sync/jobs.ts";
import { ENGINES } from "./engines.ts";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { configureFreshservice, testContext, type TestContext } from "./setup.ts";

const now = new Date();
const iso = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString().replace(/\.\d{3}Z$/, "Z");

function departments() {
  return [
    {
      id: 11,
      name: "Acme Corp",
      custom_fields: { account_number: "ACME-001", company_main_number: "555-0100" },
      domains: ["acme.example"],
      head_user_id: 101,
    },
    { id: 12, name: "Beta LLC", custom_fields: { account_number: "BETA-002" } },
    { id: 13, name: "No Number Inc", custom_fields: {} },
  ];
}

function requesters() {
  // 150 requesters: two pages at per_page=100.
  return Array.from({ length: 150 }, (_, i) => ({
    id: 100 + i,
    first_name: `Person${i}`,
    last_name: "Example",
    primary_email: i === 149 ? "not-an-email" : `person${i}@acme.example`,
    department_ids: [i % 2 === 0 ? 11 : 12],
    active: true,
  }));
}

function tickets(): FakeTicket[] {
  return [
    {
      id: 5001,
      subject: "Printer on fire",
      description_text: "It is on fire.",
      status: 2,
      priority: 4,
      requester_id: 100,
      responder_id: 900,
      department_id: 11,
      created_at: iso(3 * 3600_000),
      updated_at: iso(3600_000),
      stats: { first_responded_at: iso(2 * 3600_000) },
      conversations: [
        {
          id: 1,
          body_text: "Please help",
          incoming: true,
          private: false,
          user_id: 100,
          created_at: iso(3 * 3600_000),
        },
        { id: 2, body: "<p>Checked the <b>toner</b></p>", private: true, user_id: 900, created_at: iso(2 * 3600_000) },
      ],
      time_entries: [{ id: 71, time_spent: "01:15", agent_id: 900, executed_at: iso(2 * 3600_000) }],
    },
    {
      id: 5002,
      subject: "Custom status",
      status: 19,
      priority: 2,
      requester_id: 101,
      department_id: 12,
      created_at: iso(5 * 3600_000),
      updated_at: iso(4 * 3600_000),
    },
    {
      id: 5003,
      subject: "No company",
      status: 2,
      priority: 1,
      requester_id: null,
      department_id: null,
      created_at: iso(5 * 3600_000),
      updated_at: iso(4 * 3600_000),
    },
  ];
}

for (const engine of ENGINES) {
  describe(`Freshservice sync (${engine})`, () => {
    let t: TestContext;
    let fs: FakeFreshservice;

    beforeAll(async () => {
      t = await testContext(engine);
      fs = await startFakeFreshservice({
        departments: departments(),
        requesters: requesters(),
        agents: [
          { id: 900, first_name: "Tina", last_name: "Tech", email: "tina@msp.example", active: true },
          { id: 901, first_name: "No", last_name: "Mail", email: null, active: true },
        ],
        tickets: tickets(),
      });
      await configureFreshservice(t.ctx, fs, {
        statusMap: { "2": "open", "3": "pending", "4": "resolved", "5": "closed", "19": "update_needed" },
      });
    });
    afterAll(async () => {
      await t.close();
      await fs.stop();
    });

    test("PSA sync creates companies, contacts (all pages) and agents, writing as sync:freshservice", async () => {
      const run = await t.integrations.start("psa", "admin");
      const job = await run.done;
      expect(job.error).toBeNull();
      expect(job.status).toBe("succeeded");
      expect(job.counts).toMatchObject({
        departments_fetched: 3,
        requesters_fetched: 150,
        companies_created: 2,
        departments_without_account_number: 1,
        contacts_created: 150,
        agents_created: 1,
      });
      const acme = await companyByAccount(t.h.db, "ACME-001");
      expect(acme).toMatchObject({
        name: "Acme Corp",
        phone: "555-0100",
        domain: "acme.example",
        headName: "Person1 Example",
        externalSource: "freshservice",
        externalId: "11",
      });
      const [bad] = await t.h.db.db.select().from(t.h.db.t.contacts).where(eq(t.h.db.t.contacts.externalId, "249"));
      expect(bad!.email).toBeNull();
      const audit = await t.h.db.db.select().from(t.h.db.t.auditLog).where(eq(t.h.db.t.auditLog.entity, "company"));
      expect(audit.every((a) => a.actor === "sync:freshservice")).toBe(true);
      const again = await (await t.integrations.start("psa", "admin")).done;
      expect(again.counts).toMatchObject({ companies_unchanged: 2, contacts_unchanged: 150 });
    });

    test("fields people edited in Codex survive the next sync; the others follow Freshservice", async () => {
      const acme = (await companyByAccount(t.h.db, "ACME-001"))!;
      await updateCompany(t.h.db, acme, { phone: "555-9999", notes: "VIP client" }, { name: "alice" });
      const [contact] = await t.h.db.db.select().from(t.h.db.t.contacts).where(eq(t.h.db.t.contacts.externalId, "100"));
      await updateContact(t.h.db, contact!, { job_title: "Chief Printer Officer" }, { name: "alice" });
      fs.data.departments[0] = {
        ...fs.data.departments[0]!,
        name: "Acme Corporation",
        custom_fields: { account_number: "ACME-001", company_main_number: "555-0101" },
      };
      fs.data.requesters[0] = { ...fs.data.requesters[0]!, job_title: "Intern", last_name: "Renamed" };
      const job = await (await t.integrations.start("psa", "admin")).done;
      expect(job.status).toBe("succeeded");
      const after = (await companyByAccount(t.h.db, "ACME-001"))!;
      expect(after.phone).toBe("555-9999");
      expect(after.notes).toBe("VIP client");
      expect(after.name).toBe("Acme Corporation");
      const [c] = await t.h.db.db.select().from(t.h.db.t.contacts).where(eq(t.h.db.t.contacts.externalId, "100"));
      expect(c!.jobTitle).toBe("Chief Printer Officer");
      expect(c!.lastName).toBe("Renamed");
    });

    test("a failed page fails the run and changes nothing: no deletes, no deactivations", async () => {
      const before = await t.h.db.db.select().from(t.h.db.t.contacts);
      fs.data.requesters.splice(120, 10);
      fs.faults.add({ match: /requesters\?page=2/, status: 500, times: Infinity });
      const job = await (await t.integrations.start("psa", "admin")).done;
      fs.faults.clear();
      expect(job.status).toBe("failed");
      expect(job.error).toContain("500");
      const after = await t.h.db.db.select().from(t.h.db.t.contacts);
      expect(after.length).toBe(before.length);
      expect(after.filter((c) => c.active).length).toBe(before.filter((c) => c.active).length);
      expect((await t.h.db.db.select().from(t.h.db.t.companies)).length).toBe(2);
    });

    test("after a complete fetch, requesters gone from Freshservice are marked inactive, never deleted", async () => {
      const count = (await t.h.db.db.select().from(t.h.db.t.contacts)).length;
      fs.data.departments.splice(1, 1);
      const job = await (await t.integrations.start("psa", "admin")).done;
      expect(job.status).toBe("succeeded");
      expect(job.counts.contacts_deactivated).toBe(10);
      expect(job.counts.companies_missing_in_psa).toBe(1);
      expect(job.output).toContain("BETA-002");
      const contacts = await t.h.db.db.select().from(t.h.db.t.contacts);
      expect(contacts.length).toBe(count);
      expect(
        contacts
          .filter((c) => !c.active)
          .map((c) => Number(c.externalId))
          .sort(),
      ).toEqual(Array.from({ length: 10 }, (_, i) => 220 + i));
      expect(await companyByAccount(t.h.db, "BETA-002")).not.toBeNull();
      fs.data.departments.splice(1, 0, departments()[1]!);
    });

    test("ticket sync writes tickets with conversation, time and mapped status; reruns duplicate nothing; local workflow edits hold until Freshservice changes", async () => {
      const job = await (await t.integrations.start("tickets", "tech")).done;
      expect(job.error).toBeNull();
      expect(job.counts).toMatchObject({ tickets_listed: 3, tickets_created: 2, tickets_without_company: 1 });
      const [row] = await t.h.db.db.select().from(t.h.db.t.tickets).where(eq(t.h.db.t.tickets.externalId, "5001"));
      expect(row).toMatchObject({
        subject: "Printer on fire",
        status: "open",
        priority: "urgent",
        totalMinutes: 75,
        statusId: 2,
      });
      expect(row!.firstRespondedAt).toBeInstanceOf(Date);
      const entries = await ticketEntries(t.h.db, row!.id);
      expect(entries.map((e) => [e.kind, e.body, e.authorName])).toEqual([
        ["reply", "Please help", "Person0 Renamed"],
        ["note", "Checked the toner", "Tina Tech"],
      ]);
      const [custom] = await t.h.db.db.select().from(t.h.db.t.tickets).where(eq(t.h.db.t.tickets.externalId, "5002"));
      expect(custom!.status).toBe("update_needed");
      // Touch a ticket in Freshservice, edit another field locally, sync again.
      await updateTicket(t.h.db, row!, { priority: "low" }, { name: "alice" });
      const ft = fs.data.tickets[0]!;
      ft.updated_at = iso(0);
      ft.subject = "Printer still on fire";
      ft.conversations!.push({
        id: 3,
        body_text: "Fire is out",
        incoming: true,
        private: false,
        user_id: 100,
        created_at: iso(0),
      });
      const rerun = await (await t.integrations.start("tickets", "tech")).done;
      expect(rerun.status).toBe("succeeded");
      const updated = await requireTicket(t.h.db, row!.id);
      expect(updated.subject).toBe("Printer still on fire");
      expect(updated.priority).toBe("low");
      expect(updated.totalMinutes).toBe(75);
      expect((await ticketEntries(t.h.db, row!.id)).length).toBe(3);
      // A later change in Freshservice wins over the earlier local edit of a workflow field.
      await Bun.sleep(5);
      ft.priority = 3;
      ft.updated_at = new Date(Date.now() + 1000).toISOString();
      expect((await (await t.integrations.start("tickets", "tech")).done).status).toBe("succeeded");
      expect((await requireTicket(t.h.db, row!.id)).priority).toBe("high");
    });

    test("a ticket Freshservice marks as spam is removed when read; an unlisted one is left alone", async () => {
      const full = await (await t.integrations.start("tickets_full", "admin")).done;
      expect(full.status).toBe("succeeded");
      fs.data.tickets[1]!.spam = true;
      fs.data.tickets[1]!.updated_at = iso(0);
      fs.data.tickets.splice(0, 1);
      const job = await (await t.integrations.start("tickets", "tech")).done;
      expect(job.counts.tickets_deleted_in_psa).toBe(1);
      const left = await t.h.db.db.select().from(t.h.db.t.tickets);
      expect(left.map((x) => x.externalId)).toEqual(["5001"]);
    });

    test("a second run of a kind is refused while one is running", async () => {
      fs.faults.add({ match: /departments/, delayMs: 200, times: 1 });
      const first = await t.integrations.start("psa", "admin");
      await expect(t.integrations.start("psa", "scheduler")).rejects.toBeInstanceOf(JobBusyError);
      await first.done;
    });
  });
}
