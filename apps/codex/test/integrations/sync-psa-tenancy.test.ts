import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { companyByAccount } from "../../src/companies/data.ts";
import { psaLinks, psaUrl } from "../../src/integrations/psa-links.ts";
import { assignAccountNumbers } from "../../src/integrations/sync/account-numbers.ts";
import { ENGINES } from "./engines.ts";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { configureFreshservice, testContext, type TestContext } from "./setup.ts";

const recently = new Date(Date.now() - 3600_000).toISOString();

function ticket(id: number, workspace: number, extra: Partial<FakeTicket> = {}): FakeTicket {
  return {
    id,
    subject: `Ticket ${id}`,
    status: 2,
    priority: 2,
    workspace_id: workspace,
    created_at: recently,
    updated_at: recently,
    ...extra,
  };
}

const WORKSPACES = [
  { id: 1, name: "MSP Internal", primary: true, state: "active" },
  { id: 2, name: "Acme Corp", state: "active" },
  { id: 3, name: "Beta LLC", state: "active" },
];

for (const engine of ENGINES) {
  describe(`Freshservice tenancy (${engine})`, () => {
    let t: TestContext;
    let fs: FakeFreshservice;
    const ticketsOf = async () =>
      (await t.h.db.db.select().from(t.h.db.t.tickets)).map((r) => r.externalId).sort((a, b) => a!.localeCompare(b!));

    beforeAll(async () => {
      t = await testContext(engine);
      fs = await startFakeFreshservice({ workspaces: WORKSPACES });
    });
    afterAll(async () => {
      await t.close();
      await fs.stop();
    });

    test("item 3, Freshservice for MSPs: each client workspace is a company, its tickets read from it", async () => {
      fs.data.departments = [
        { id: 21, name: "Acme Sales", workspace_id: 2, custom_fields: {} },
        { id: 31, name: "Beta Office", workspace_id: 3, custom_fields: {} },
      ];
      fs.data.requesters = [
        { id: 200, first_name: "Ann", last_name: "Acme", primary_email: "ann@acme.example", department_ids: [21] },
        { id: 300, first_name: "Bob", last_name: "Beta", primary_email: "bob@beta.example", department_ids: [31] },
      ];
      fs.data.tickets = [
        ticket(8001, 2, { requester_id: 200 }),
        ticket(8002, 3, { requester_id: 300 }),
        ticket(8003, 3, { requester_id: null }),
        ticket(8004, 1, { requester_id: null }),
      ];
      await configureFreshservice(t.ctx, fs, {
        companiesFrom: "workspaces",
        clients: { "2": "ACME-001", "3": "BETA-002" },
      });
      const psa = await (await t.integrations.start("psa", "admin")).done;
      expect(psa.error).toBeNull();
      expect(psa.counts.companies_created).toBe(2);
      expect((await companyByAccount(t.h.db, "ACME-001"))!.name).toBe("Acme Corp");
      expect(psa.output).toContain("MSP Internal");
      const [ann] = await t.h.db.db.select().from(t.h.db.t.contacts).where(eq(t.h.db.t.contacts.externalId, "200"));
      expect(ann).toBeDefined();
      const job = await (await t.integrations.start("tickets", "tech")).done;
      expect(job.error).toBeNull();
      // The internal workspace is no client: its ticket is not read at all.
      expect(await ticketsOf()).toEqual(["8001", "8002", "8003"]);
      expect(fs.faults.log.some((l) => /\/tickets\?.*workspace_id=2/.test(l.path))).toBe(true);
      expect(fs.faults.log.some((l) => /\/tickets\?.*workspace_id=3/.test(l.path))).toBe(true);
      // A client workspace has no department page to link to, and no department to number.
      const links = await psaLinks(t.h.db);
      const acme = (await companyByAccount(t.h.db, "ACME-001"))!;
      expect(psaUrl(links, "company", { external_source: "freshservice", external_id: acme.externalId })).toBeNull();
      await expect(assignAccountNumbers(t.ctx)).rejects.toThrow("client workspaces");
    });

    test("item 3, departments as companies: tickets are read from every workspace when asked", async () => {
      await t.h.db.db.delete(t.h.db.t.tickets);
      fs.data.departments = [{ id: 11, name: "Gamma", custom_fields: { account_number: "GAMMA-003" } }];
      fs.data.requesters = [];
      fs.data.tickets = [
        ticket(8101, 1, { department_id: 11 }),
        ticket(8102, 2, { department_id: 11 }),
        ticket(8103, 3, { department_id: 11 }),
      ];
      await configureFreshservice(t.ctx, fs, { companiesFrom: "departments", workspaceIds: "all", clients: {} });
      expect((await (await t.integrations.start("psa", "admin")).done).status).toBe("succeeded");
      const job = await (await t.integrations.start("tickets_full", "admin")).done;
      expect(job.error).toBeNull();
      expect(await ticketsOf()).toEqual(["8101", "8102", "8103"]);
      await configureFreshservice(t.ctx, fs, { workspaceIds: [3] });
      await t.h.db.db.delete(t.h.db.t.tickets);
      expect((await (await t.integrations.start("tickets_full", "admin")).done).status).toBe("succeeded");
      expect(await ticketsOf()).toEqual(["8103"]);
    });

    test("item 7: company details come from the department fields this tenant named in the settings", async () => {
      fs.data.departments = [
        {
          id: 11,
          name: "Gamma",
          custom_fields: { account_number: "GAMMA-003", main_phone: "555-0199", street: "1 Main St", term: "2 years" },
        },
      ];
      await configureFreshservice(t.ctx, fs, {
        companyFields: { phone: "main_phone", address: "street", contract_term: "term" },
      });
      expect((await (await t.integrations.start("psa", "admin")).done).status).toBe("succeeded");
      expect(await companyByAccount(t.h.db, "GAMMA-003")).toMatchObject({
        phone: "555-0199",
        address: "1 Main St",
        contractTerm: "2_year",
      });
    });
  });
}
