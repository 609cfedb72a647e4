import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count } from "drizzle-orm";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

for (const engine of ENGINES) {
  describe(`the JSON API on ${engine}`, () => {
    let codex: CodexUnderTest;
    const tech = (method: string, path: string, body?: unknown) => codex.call("technician", method, path, body);
    const auditCount = async () => (await codex.deps.db.db.select({ n: count() }).from(codex.deps.db.t.auditLog))[0]!.n;
    const companyCount = async () =>
      (await codex.deps.db.db.select({ n: count() }).from(codex.deps.db.t.companies))[0]!.n;

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
    });
    afterAll(() => codex.stop());

    describe("companies", () => {
      test("create, read, update and delete, with an audit row for each change", async () => {
        const before = await auditCount();
        const created = await tech("POST", "/api/companies", {
          account_number: "DELTA-004",
          name: "Delta Dairy",
          billing_plan: "Gold",
          contract_term: "1_year",
          phone: "555-0100",
        });
        expect(created.status).toBe(201);
        const body = await created.json();
        expect(body).toMatchObject({
          account_number: "DELTA-004",
          name: "Delta Dairy",
          billing_plan: "Gold",
          contract_term: "1_year",
          support_level: "Billed Hourly",
          compliance_level: "standard",
        });
        expect((await (await tech("GET", "/api/companies/DELTA-004")).json()).name).toBe("Delta Dairy");
        const updated = await tech("PUT", "/api/companies/DELTA-004", { name: "Delta Dairy Co", notes: "Milk" });
        expect(updated.status).toBe(200);
        expect(await updated.json()).toMatchObject({ name: "Delta Dairy Co", notes: "Milk", phone: "555-0100" });
        expect((await codex.call("admin", "DELETE", "/api/companies/DELTA-004")).status).toBe(200);
        expect((await tech("GET", "/api/companies/DELTA-004")).status).toBe(404);
        const audit = await (await codex.call("admin", "GET", "/api/audit?entity=company&limit=3")).json();
        expect(audit.items.map((a: { action: string }) => a.action)).toEqual(["delete", "update", "create"]);
        expect(audit.items[1].before.name).toBe("Delta Dairy");
        expect(audit.items[1].after.name).toBe("Delta Dairy Co");
        expect(audit.items[1].actor).toBe("technician");
        expect(await auditCount()).toBe(before + 3);
      });

      test("list with filters, sorting and cursor pagination", async () => {
        const all = await (await tech("GET", "/api/companies?sort=account_number")).json();
        expect(all.items.map((c: { account_number: string }) => c.account_number)).toEqual([
          "ACME-001",
          "BETA-002",
          "GAMMA-003",
        ]);
        const p1 = await (await tech("GET", "/api/companies?limit=2&sort=name&order=desc")).json();
        expect(p1.items.map((c: { name: string }) => c.name)).toEqual(["Gamma Law", "Beta Logistics"]);
        expect(p1.next_cursor).toBeString();
        const p2 = await (
          await tech("GET", `/api/companies?limit=2&sort=name&order=desc&cursor=${p1.next_cursor}`)
        ).json();
        expect(p2.items.map((c: { name: string }) => c.name)).toEqual(["Acme Dental"]);
        expect(p2.next_cursor).toBeNull();
        expect(
          (await (await tech("GET", "/api/companies?compliance_level=cjis")).json()).items.map(
            (c: { name: string }) => c.name,
          ),
        ).toEqual(["Gamma Law"]);
        expect(
          (await (await tech("GET", "/api/companies?billing_plan=Silver")).json()).items.map(
            (c: { name: string }) => c.name,
          ),
        ).toEqual(["Beta Logistics"]);
        expect(
          (await (await tech("GET", "/api/companies?q=acm")).json()).items.map((c: { name: string }) => c.name),
        ).toEqual(["Acme Dental"]);
      });

      test("bad input is refused with field details and nothing is written", async () => {
        const [companies, audits] = [await companyCount(), await auditCount()];
        const wrongTypes = await tech("POST", "/api/companies", { account_number: 7, name: ["x"] });
        expect(wrongTypes.status).toBe(422);
        const fields = (await wrongTypes.json()).error.details.map((d: { field: string }) => d.field);
        expect(fields).toEqual(expect.arrayContaining(["account_number", "name"]));
        const missing = await (await tech("POST", "/api/companies", { name: "No number" })).json();
        expect(missing.error.details).toContainEqual(expect.objectContaining({ field: "account_number" }));
        const unknownPlan = await tech("POST", "/api/companies", {
          account_number: "X-1",
          name: "X",
          billing_plan: "Platinum",
          contract_term: "1_year",
        });
        expect(unknownPlan.status).toBe(422);
        expect((await unknownPlan.json()).error.details).toContainEqual({
          field: "billing_plan",
          message: expect.stringContaining("Platinum"),
        });
        const dup = await tech("POST", "/api/companies", { account_number: "ACME-001", name: "Imposter" });
        expect(dup.status).toBe(409);
        expect((await dup.json()).error.details).toContainEqual(expect.objectContaining({ field: "account_number" }));
        expect((await tech("POST", "/api/companies", "{not json")).status).toBe(400);
        expect(
          (
            await codex.call("technician", "POST", "/api/companies", "a=b", {
              "content-type": "application/x-www-form-urlencoded",
            })
          ).status,
        ).toBe(415);
        expect((await tech("PUT", "/api/companies/ACME-001", { compliance_level: "top-secret" })).status).toBe(422);
        expect((await tech("GET", "/api/companies?sort=colour")).status).toBe(422);
        expect((await tech("GET", "/api/companies?cursor=bogus")).status).toBe(400);
        expect([await companyCount(), await auditCount()]).toEqual([companies, audits]);
      });

      test("a bulk upsert reports each row and writes nothing when any row is bad", async () => {
        const [companies, audits] = [await companyCount(), await auditCount()];
        const bad = await tech("POST", "/api/companies/bulk", {
          rows: [
            { account_number: "E-5", name: "Echo" },
            { account_number: "F-6" },
            { account_number: "G-7", name: "G", billing_plan: "Nope", contract_term: "1_year" },
          ],
        });
        expect(bad.status).toBe(422);
        const result = (await bad.json()).error.details;
        expect(result.results.map((r: { status: string }) => r.status)).toEqual(["unchanged", "error", "error"]);
        expect(result.results[1].errors[0].field).toBe("name");
        expect([await companyCount(), await auditCount()]).toEqual([companies, audits]);
        const good = await (
          await tech("POST", "/api/companies/bulk", {
            rows: [
              { account_number: "E-5", name: "Echo" },
              { account_number: "BETA-002", name: "Beta Logistics" },
              { account_number: "GAMMA-003", name: "Gamma Law LLP" },
            ],
          })
        ).json();
        expect(good).toMatchObject({ ok: true, created: 1, updated: 1, unchanged: 1, errors: 0 });
        expect(await auditCount()).toBe(audits + 2);
      });

      test("locations: add, list, update and delete", async () => {
        const made = await tech("POST", "/api/companies/ACME-001/locations", { name: "Branch", phone: "555-0199" });
        expect(made.status).toBe(201);
        const loc = await made.json();
        expect(
          (await tech("PUT", `/api/companies/ACME-001/locations/${loc.id}`, { name: "Branch office" })).status,
        ).toBe(200);
        const list = await (await tech("GET", "/api/companies/ACME-001/locations")).json();
        expect(list.items.map((l: { name: string }) => l.name)).toEqual(["Branch office", "Main office"]);
        expect((await tech("PUT", `/api/companies/BETA-002/locations/${loc.id}`, { name: "x" })).status).toBe(404);
        expect((await tech("DELETE", `/api/companies/ACME-001/locations/${loc.id}`)).status).toBe(200);
        expect((await tech("POST", "/api/companies/ACME-001/locations", { name: "" })).status).toBe(422);
      });

      test("a company's contacts, users, assets and tickets", async () => {
        const contacts = await (await tech("GET", "/api/companies/ACME-001/contacts")).json();
        expect(contacts.items.map((c: { name: string }) => c.name)).toEqual(["Ann Archer", "Carol Chen"]);
        expect((await (await tech("GET", "/api/companies/ACME-001/users")).json()).items).toHaveLength(2);
        const assets = await (await tech("GET", "/api/companies/ACME-001/assets")).json();
        expect(assets.items.map((a: { hostname: string; asset_type: string }) => [a.hostname, a.asset_type])).toEqual([
          ["ACME-SRV-01", "server"],
          ["ACME-WS-01", "workstation"],
        ]);
        const tickets = await (await tech("GET", "/api/companies/ACME-001/tickets")).json();
        expect(tickets.items.map((t: { subject: string }) => t.subject)).toContain("Printer jammed on floor 2");
      });
    });

    describe("contacts", () => {
      test("create, read, update, delete; a contact can belong to several companies", async () => {
        const res = await tech("POST", "/api/contacts", {
          first_name: "Eve",
          last_name: "Evans",
          email: "Eve@Acme.example",
          companies: ["ACME-001", "GAMMA-003"],
        });
        expect(res.status).toBe(201);
        const eve = await res.json();
        expect(eve).toMatchObject({
          name: "Eve Evans",
          email: "eve@acme.example",
          companies: ["ACME-001", "GAMMA-003"],
        });
        const upd = await (await tech("PUT", `/api/contacts/${eve.id}`, { companies: ["BETA-002"], vip: true })).json();
        expect(upd).toMatchObject({ companies: ["BETA-002"], vip: true, name: "Eve Evans" });
        expect((await tech("POST", "/api/contacts", { name: "Eve again", email: "eve@acme.example" })).status).toBe(
          409,
        );
        expect((await tech("POST", "/api/contacts", { name: "Who", email: "not-an-email" })).status).toBe(422);
        expect((await tech("POST", "/api/contacts", { name: "Who", companies: ["NOPE-1"] })).status).toBe(422);
        expect((await tech("DELETE", `/api/contacts/${eve.id}`)).status).toBe(200);
        expect((await tech("GET", `/api/contacts/${eve.id}`)).status).toBe(404);
      });

      test("list with filters and pagination", async () => {
        const acme = await (await tech("GET", "/api/contacts?company=ACME-001")).json();
        expect(acme.items.map((c: { name: string }) => c.name)).toEqual(["Ann Archer", "Carol Chen"]);
        expect(
          (await (await tech("GET", "/api/contacts?active=false")).json()).items.map((c: { name: string }) => c.name),
        ).toEqual(["Dan Drake"]);
        const p1 = await (await tech("GET", "/api/contacts?limit=3")).json();
        const p2 = await (await tech("GET", `/api/contacts?limit=3&cursor=${p1.next_cursor}`)).json();
        const names = [...p1.items, ...p2.items].map((c: { name: string }) => c.name);
        expect(names.slice(0, 4)).toEqual(["Ann Archer", "Bob Baker", "Carol Chen", "Dan Drake"]);
        expect(new Set(names).size).toBe(names.length);
        expect(
          (await (await tech("GET", "/api/contacts?q=carol@consult")).json()).items.map(
            (c: { name: string }) => c.name,
          ),
        ).toEqual(["Carol Chen"]);
      });

      test("bulk upsert matches by email", async () => {
        const r = await (
          await tech("POST", "/api/contacts/bulk", {
            rows: [
              { name: "Ann A. Archer", email: "ANN@acme.example" },
              { name: "Fay", email: "fay@beta.example", companies: ["BETA-002"] },
            ],
          })
        ).json();
        expect(r).toMatchObject({ created: 1, updated: 1 });
        const bad = await tech("POST", "/api/contacts/bulk", {
          rows: [
            { name: "G", email: "g@x.example" },
            { name: "G2", email: "g@x.example" },
          ],
        });
        expect(bad.status).toBe(422);
        expect((await bad.json()).error.details.results[1].errors[0]).toMatchObject({ field: "email" });
      });
    });

    describe("assets", () => {
      test("create, read, update, delete; type inferred from the RMM's data", async () => {
        const res = await tech("POST", "/api/assets", {
          company: "BETA-002",
          hostname: "BETA-HV-01",
          hardware_type: "Server",
          operating_system: "VMware ESXi 8",
        });
        expect(res.status).toBe(201);
        const a = await res.json();
        expect(a).toMatchObject({ company: "BETA-002", hostname: "BETA-HV-01", asset_type: "server" });
        const contacts = await (await tech("GET", "/api/contacts?company=BETA-002")).json();
        const upd = await (
          await tech("PUT", `/api/assets/${a.id}`, {
            asset_type: "vm",
            contact_ids: [contacts.items[0].id],
            custom_fields: { rack: "B2" },
          })
        ).json();
        expect(upd).toMatchObject({
          asset_type: "vm",
          contact_ids: [contacts.items[0].id],
          custom_fields: { rack: "B2" },
        });
        expect((await tech("PUT", `/api/assets/${a.id}`, { location_id: 999999 })).status).toBe(422);
        expect((await tech("POST", "/api/assets", { company: "BETA-002" })).status).toBe(422);
        expect(
          (await tech("POST", "/api/assets", { company: "BETA-002", hostname: "x", backup_bytes: -1 })).status,
        ).toBe(422);
        expect((await tech("DELETE", `/api/assets/${a.id}`)).status).toBe(200);
        expect((await tech("GET", `/api/assets/${a.id}`)).status).toBe(404);
      });

      test("list with filters and pagination", async () => {
        expect(
          (await (await tech("GET", "/api/assets?company=ACME-001&asset_type=server")).json()).items.map(
            (a: { hostname: string }) => a.hostname,
          ),
        ).toEqual(["ACME-SRV-01"]);
        expect(
          (await (await tech("GET", "/api/assets?online=true")).json()).items.map(
            (a: { hostname: string }) => a.hostname,
          ),
        ).toEqual(["ACME-WS-01"]);
        expect(
          (await (await tech("GET", "/api/assets?asset_type=firewall")).json()).items.map(
            (a: { hostname: string }) => a.hostname,
          ),
        ).toEqual(["GAMMA-FW-01"]);
        const p1 = await (await tech("GET", "/api/assets?limit=2")).json();
        const p2 = await (await tech("GET", `/api/assets?limit=2&cursor=${p1.next_cursor}`)).json();
        expect([...p1.items, ...p2.items].map((a: { hostname: string }) => a.hostname)).toEqual([
          "ACME-SRV-01",
          "ACME-WS-01",
          "BETA-WS-01",
          "GAMMA-FW-01",
        ]);
      });

      test("bulk upsert by external id updates in place", async () => {
        const rows = [
          { company: "GAMMA-003", hostname: "GAMMA-WS-01", external_id: "dev-1", external_source: "datto" },
        ];
        expect(await (await tech("POST", "/api/assets/bulk", { rows })).json()).toMatchObject({ created: 1 });
        expect(
          await (await tech("POST", "/api/assets/bulk", { rows: [{ ...rows[0], hostname: "GAMMA-WS-01B" }] })).json(),
        ).toMatchObject({ updated: 1, created: 0 });
        expect(
          await (await tech("POST", "/api/assets/bulk", { rows: [{ ...rows[0], hostname: "GAMMA-WS-01B" }] })).json(),
        ).toMatchObject({ unchanged: 1 });
        expect(
          (
            await tech("POST", "/api/assets/bulk", {
              rows: [{ company: "GAMMA-003", hostname: "x", external_id: "only-id" }],
            })
          ).status,
        ).toBe(422);
      });
    });

    describe("tickets", () => {
      test("create locally with SLA due dates, update, reply, note and log time", async () => {
        const res = await tech("POST", "/api/tickets", {
          company: "ACME-001",
          subject: "Email bouncing",
          priority: "urgent",
          description: "Since 9am",
        });
        expect(res.status).toBe(201);
        const t = await res.json();
        expect(t).toMatchObject({ company: "ACME-001", status: "open", priority: "urgent" });
        expect(Date.parse(t.first_response_due_at) - Date.parse(t.created_at)).toBe(60 * 60_000);
        const reply = await tech("POST", `/api/tickets/${t.id}/replies`, { body: "Looking now." });
        expect(reply.status).toBe(201);
        expect(await reply.json()).toMatchObject({
          kind: "reply",
          public: true,
          author_name: "technician user",
          incoming: false,
        });
        expect((await tech("POST", `/api/tickets/${t.id}/notes`, { body: "MX record wrong" })).status).toBe(201);
        expect((await tech("POST", `/api/tickets/${t.id}/time-entries`, { minutes: 45 })).status).toBe(201);
        const closed = await (await tech("PUT", `/api/tickets/${t.id}`, { status: "resolved" })).json();
        expect(closed.closed_at).toBeString();
        expect(closed.first_responded_at).toBeString();
        expect(closed.total_minutes).toBe(45);
        expect(closed.conversation.map((e: { kind: string }) => e.kind)).toEqual(["reply", "note"]);
        const legacy = await (
          await tech("POST", `/api/ticket/${t.id}/update`, { status: "open", note: "Reopened" })
        ).json();
        expect(legacy).toMatchObject({ status: "open", closed_at: null });
        expect(legacy.conversation).toHaveLength(3);
        expect((await tech("POST", `/api/tickets/${t.id}/replies`, { body: "" })).status).toBe(422);
        expect(
          (await tech("POST", "/api/tickets", { company: "ACME-001", subject: "x", priority: "whenever" })).status,
        ).toBe(422);
        expect((await tech("POST", "/api/tickets", { company: "NOPE-9", subject: "x" })).status).toBe(422);
        expect((await codex.call("admin", "DELETE", `/api/tickets/${t.id}`)).status).toBe(200);
      });

      test("list with filters and pagination", async () => {
        const open = await (await tech("GET", "/api/tickets?open=true&sort=created_at&order=asc")).json();
        expect(open.items.map((t: { subject: string }) => t.subject)).toEqual([
          "Printer jammed on floor 2",
          "VPN down for warehouse",
        ]);
        expect(
          (await (await tech("GET", "/api/tickets?status=closed")).json()).items.map(
            (t: { company: string }) => t.company,
          ),
        ).toEqual(["GAMMA-003"]);
        expect((await (await tech("GET", "/api/tickets?priority=urgent&company=BETA-002")).json()).items).toHaveLength(
          1,
        );
        expect((await (await tech("GET", "/api/tickets?q=printer")).json()).items).toHaveLength(1);
        const p1 = await (await tech("GET", "/api/tickets?limit=1")).json();
        const p2 = await (await tech("GET", `/api/tickets?limit=1&cursor=${p1.next_cursor}`)).json();
        expect(p2.items[0].id).not.toBe(p1.items[0].id);
        expect((await tech("GET", "/api/tickets?status=bogus")).status).toBe(422);
        expect((await tech("GET", "/api/tickets?updated_since=yesterday")).status).toBe(422);
      });

      test("a ticket shows its conversation in order", async () => {
        const list = await (await tech("GET", "/api/tickets?q=printer")).json();
        const detail = await (await tech("GET", `/api/ticket/${list.items[0].id}`)).json();
        expect(detail.conversation.map((e: { kind: string }) => e.kind)).toEqual(["reply", "note"]);
      });
    });

    describe("agents and preferences", () => {
      test("agents CRUD for admins, by id or IdP user id", async () => {
        const admin = (m: string, p: string, b?: unknown) => codex.call("admin", m, p, b);
        const res = await admin("POST", "/api/agents", {
          idp_user_id: "kc-new",
          username: "newbie",
          email: "new@msp.example",
          name: "New Person",
        });
        expect(res.status).toBe(201);
        const a = await res.json();
        expect((await (await admin("GET", "/api/agents/kc-new")).json()).id).toBe(a.id);
        expect(await (await admin("PUT", `/api/agents/${a.id}/settings`, { theme: "dark" })).json()).toMatchObject({
          theme: "dark",
        });
        expect(await (await admin("PUT", `/api/agents/${a.id}`, { enabled: false })).json()).toMatchObject({
          enabled: false,
        });
        expect(
          (await admin("POST", "/api/agents", { username: "x", email: "new@msp.example", name: "Dup" })).status,
        ).toBe(409);
        expect((await admin("PUT", `/api/agents/${a.id}/settings`, { theme: "purple" })).status).toBe(422);
        expect(
          (await (await tech("GET", "/api/agents")).json()).items.map((x: { username: string }) => x.username),
        ).toContain("newbie");
        expect((await admin("DELETE", `/api/agents/${a.id}`)).status).toBe(200);
      });

      test("my settings: defaults, then saved for the signed-in person", async () => {
        expect(await (await codex.call("billing", "GET", "/api/my/settings")).json()).toEqual({
          theme: "system",
          home_page: "nexus",
          email_notifications: true,
        });
        expect(
          await (await codex.call("billing", "PUT", "/api/my/settings", { theme: "dark", home_page: "codex" })).json(),
        ).toEqual({ theme: "dark", home_page: "codex", email_notifications: true });
        expect(await (await codex.call("billing", "GET", "/api/my/settings")).json()).toEqual({
          theme: "dark",
          home_page: "codex",
          email_notifications: true,
        });
        expect((await codex.call("billing", "PUT", "/api/my/settings", { home_page: "ledger" })).status).toBe(422);
      });
    });

    describe("billing plans and features", () => {
      test("plans CRUD; a plan in use cannot be deleted; duplicates refused", async () => {
        const b = (m: string, p: string, body?: unknown) => codex.call("billing", m, p, body);
        const list = await (await b("GET", "/api/billing-plans")).json();
        const gold = list.items.find((p: { name: string }) => p.name === "Gold");
        const { id: _id, features: _f, created_at: _c, updated_at: _u, ...goldInput } = gold;
        const made = await b("POST", "/api/billing-plans", { ...goldInput, term: "2_year", per_user_cents: 1400 });
        expect(made.status).toBe(201);
        const two = await made.json();
        expect((await b("POST", "/api/billing-plans", { ...goldInput, term: "2_year" })).status).toBe(409);
        expect(
          (await b("POST", "/api/billing-plans", { ...goldInput, name: "Frac", per_user_cents: 14.5 })).status,
        ).toBe(422);
        expect(await (await b("PUT", `/api/billing-plans/${two.id}`, { per_hour_cents: 9900 })).json()).toMatchObject({
          per_hour_cents: 9900,
          per_user_cents: 1400,
        });
        expect((await b("DELETE", `/api/billing-plans/${gold.id}`)).status).toBe(409);
        expect((await b("DELETE", `/api/billing-plans/${two.id}`)).status).toBe(200);
      });

      test("feature categories, options and a plan's features", async () => {
        const b = (m: string, p: string, body?: unknown) => codex.call("billing", m, p, body);
        expect((await b("POST", "/api/feature-categories", { key: "antivirus", name: "Antivirus" })).status).toBe(201);
        expect(
          (
            await b("POST", "/api/feature-options", {
              category: "antivirus",
              value: "sentinelone",
              display_name: "SentinelOne",
            })
          ).status,
        ).toBe(201);
        expect((await b("POST", "/api/feature-options", { category: "nope", value: "x" })).status).toBe(422);
        const plans = await (await b("GET", "/api/billing-plans?name=Gold")).json();
        const plan = await (
          await b("PUT", `/api/billing-plans/${plans.items[0].id}/features`, { antivirus: "sentinelone" })
        ).json();
        expect(plan.features).toEqual({ antivirus: "sentinelone" });
        expect(
          (await b("PUT", `/api/billing-plans/${plans.items[0].id}/features`, { antivirus: "mcafee" })).status,
        ).toBe(422);
        const catalog = await (await b("GET", "/api/feature-options")).json();
        expect(catalog.items[0].options[0]).toMatchObject({ value: "sentinelone", display_name: "SentinelOne" });
      });
    });

    test("OpenAPI lists every API route with who may call it", async () => {
      const doc = await (await tech("GET", "/api/openapi.json")).json();
      expect(doc.openapi).toBe("3.1.0");
      const apiRoutes = codex.app.routeTable.apis.filter((r) => r.path.startsWith("/api/"));
      for (const r of apiRoutes) expect(doc.paths[r.path]?.[r.method]).toBeDefined();
      expect(doc.paths["/api/companies"].post["x-permission"].levels).toEqual(["admin", "technician"]);
      expect(
        doc.paths["/api/companies"].post.requestBody.content["application/json"].schema.properties.account_number,
      ).toBeDefined();
    });
  });
}
