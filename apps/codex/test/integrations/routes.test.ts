import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { upsertCompanies } from "../../src/companies/data.ts";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { writeSettings } from "../../src/integrations/settings.ts";
import { startIntegrationsApp, waitForJob, type IntegrationsApp } from "./app-harness.ts";
import { ENGINES } from "./engines.ts";
import { fakeDevice, startFakeDatto, type FakeDatto } from "./fakes/datto.ts";
import { startFakeFreshservice, type FakeFreshservice } from "./fakes/freshservice.ts";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { startFakeKeycloak, type FakeKeycloak } from "@hivematrix/lib/testing/fake-keycloak";
import { configureDatto, configureFreshservice } from "./setup.ts";

const WEBHOOK_SECRET = `${"w".repeat(20)}-webhook-secret`;
const today = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

for (const engine of ENGINES) {
  describe(`integration routes (${engine})`, () => {
    let app: IntegrationsApp;
    let fs: FakeFreshservice;
    let datto: FakeDatto;
    let kc: FakeKeycloak;

    beforeAll(async () => {
      kc = startFakeKeycloak({
        password: "kc-admin-pass",
        realms: { hivematrix: { groups: ["admins", "technicians", "billing", "client"] } },
      });
      const realmAdmin = createKeycloakAdmin({ url: kc.url, ...kc.admin });
      for (let i = 0; i < 130; i++)
        await realmAdmin.createUser("hivematrix", {
          username: `tech${i}`,
          email: `tech${i}@msp.example`,
          enabled: true,
          groups: ["technicians"],
        });
      app = await startIntegrationsApp(engine, kc.url);
      saveIntegrationSecret(app.deps.config.home, SECRET_NAMES.keycloakAdmin, kc.admin.password);
      fs = await startFakeFreshservice({
        departments: [{ id: 11, name: "Acme", custom_fields: { account_number: "ACME-001" } }],
        requesters: [
          { id: 100, first_name: "Ann", last_name: "Acme", primary_email: "ann@acme.example", department_ids: [11] },
        ],
        tickets: [
          {
            id: 7001,
            subject: "Webhook ticket",
            status: 2,
            priority: 3,
            department_id: 11,
            requester_id: 100,
            created_at: today(),
            updated_at: today(),
          },
        ],
      });
      datto = await startFakeDatto([
        {
          uid: "site-1",
          name: "Acme HQ",
          variables: [],
          devices: [fakeDevice("dev-1", "PC-01", "site-1"), fakeDevice("dev-2", "PC-02", "site-1")],
        },
      ]);
    });
    afterAll(async () => {
      await app.stop();
      kc.stop();
      await Promise.all([fs.stop(), datto.stop()]);
    });

    test("sync routes answer 400 with what to configure before a provider is set up", async () => {
      const res = await app.fetch("admin", "POST", "/sync/psa");
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "not_configured" });
      expect((await app.fetch("admin", "GET", "/api/datto/devices")).status).toBe(400);
    });

    test("POST /sync/psa starts a run; status, last and job list report it; a concurrent start is 409", async () => {
      await configureFreshservice(app.integrations.ctx, fs);
      fs.faults.add({ match: /departments/, delayMs: 200, times: 1 });
      const res = await app.fetch("admin", "POST", "/sync/psa");
      expect(res.status).toBe(202);
      const body = await res.json();
      expect(body).toMatchObject({ success: true, status_url: `/sync/status/${body.job_id}` });
      const busy = await app.fetch("service", "POST", "/sync/psa");
      expect(busy.status).toBe(409);
      expect((await busy.json()).error.details).toEqual({ job_id: body.job_id });
      const job = await waitForJob(app, body.job_id);
      expect(job).toMatchObject({ status: "succeeded", kind: "psa", triggered_by: "admin" });
      const last = await (await app.fetch("technician", "GET", "/sync/last/psa")).json();
      expect(last.last_success.id).toBe(body.job_id);
      const list = await (await app.fetch("billing", "GET", "/api/sync/jobs?kind=psa&limit=5")).json();
      expect(list.jobs[0].id).toBe(body.job_id);
      expect(list.schedule.map((s: { kind: string }) => s.kind)).toContain("tickets");
      expect((await app.fetch("technician", "POST", "/sync/psa")).status).toBe(403);
      expect((await app.fetch("admin", "GET", "/sync/status/nope")).status).toBe(404);
      expect((await app.fetch("admin", "GET", "/sync/last/bogus")).status).toBe(404);
      expect((await app.fetch("admin", "GET", "/api/sync/jobs?limit=0")).status).toBe(422);
    });

    test("departments without an account number get a unique one in Freshservice, then sync in", async () => {
      fs.data.departments.push({ id: 12, name: "Numberless", custom_fields: {} });
      const res = await app.fetch("admin", "POST", "/sync/create-account-numbers");
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.assigned).toHaveLength(1);
      const number = body.assigned[0].account_number as string;
      expect(number).toMatch(/^\d{6}$/);
      expect(body.assigned[0]).toMatchObject({ department_id: 12, name: "Numberless" });
      expect((fs.data.departments[1]!.custom_fields as Record<string, string>).account_number).toBe(number);
      expect((await (await app.fetch("admin", "POST", "/sync/create-account-numbers")).json()).assigned).toEqual([]);
      const job = await waitForJob(app, (await (await app.fetch("admin", "POST", "/sync/psa")).json()).job_id);
      expect(job.counts).toMatchObject({ companies_created: 1 });
      expect((await app.fetch("technician", "POST", "/sync/create-account-numbers")).status).toBe(403);
    });

    test("a technician may start a ticket sync; a client may not", async () => {
      const res = await app.fetch("technician", "POST", "/sync/tickets");
      expect(res.status).toBe(202);
      expect((await waitForJob(app, (await res.json()).job_id)).status).toBe("succeeded");
      expect((await app.fetch("client", "POST", "/sync/tickets")).status).toBe(403);
      expect((await app.fetch("technician", "POST", "/sync/tickets/full-history")).status).toBe(403);
    });

    test("the webhook checks its secret (constant-time) and allowlist, then reads the ticket from Freshservice", async () => {
      const hook = (secret: string | null, body: unknown, headers: Record<string, string> = {}) =>
        app.fetch(null, "POST", "/webhooks/freshservice/ticket", {
          json: body,
          headers: { ...(secret ? { "x-webhook-secret": secret } : {}), ...headers },
        });
      expect((await hook(WEBHOOK_SECRET, { ticket_id: 7001 })).status).toBe(503);
      saveIntegrationSecret(app.deps.config.home, SECRET_NAMES.webhookSecret, WEBHOOK_SECRET);
      await writeSettings(
        app.deps.db,
        "webhooks",
        { enabled: true, settings: { ipAllowlist: ["203.0.113.9"] } },
        "test",
      );
      expect((await hook(null, { ticket_id: 7001 })).status).toBe(401);
      expect((await hook("wrong", { ticket_id: 7001 })).status).toBe(401);
      expect((await hook(`${WEBHOOK_SECRET.slice(0, -1)}X`, { ticket_id: 7001 })).status).toBe(401);
      expect((await hook(WEBHOOK_SECRET, { ticket_id: 7001 }, { "x-forwarded-for": "198.51.100.1" })).status).toBe(403);
      const bad = await hook(WEBHOOK_SECRET, { nothing: true }, { "x-forwarded-for": "203.0.113.9" });
      expect(bad.status).toBe(422);
      fs.data.tickets[0]!.subject = "Webhook ticket, edited";
      const ok = await hook(
        WEBHOOK_SECRET,
        { ticket_id: "INC-7001", event: "ticket_updated", subject: "forged subject" },
        { "x-forwarded-for": "203.0.113.9" },
      );
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ ok: true, ticket_id: 7001, result: "updated" });
      const [row] = await app.deps.db.db
        .select()
        .from(app.deps.db.t.tickets)
        .where(eq(app.deps.db.t.tickets.externalId, "7001"));
      expect(row!.subject).toBe("Webhook ticket, edited");
      // Trashed in Freshservice: a flag, the status stays what it was.
      fs.data.tickets[0]!.deleted = true;
      const gone = await hook(
        WEBHOOK_SECRET,
        { freshdesk_webhook: { ticket_id: 7001 } },
        { "x-forwarded-for": "203.0.113.9" },
      );
      expect(await gone.json()).toMatchObject({ result: "deleted" });
      fs.faults.add({ match: /tickets\/7002/, status: 500, times: Infinity });
      expect((await hook(WEBHOOK_SECRET, { ticket_id: 7002 }, { "x-forwarded-for": "203.0.113.9" })).status).toBe(502);
    });

    test("Datto device routes return what the RMM reports, or a clear error; never invented data", async () => {
      await configureDatto(app.integrations.ctx, datto);
      const list = await (await app.fetch("technician", "GET", "/api/datto/devices")).json();
      expect(list.count).toBe(2);
      expect(list.devices[0]).toMatchObject({ uid: "dev-1", hostname: "PC-01", antivirus_product: "Datto AV" });
      expect(await (await app.fetch("technician", "GET", "/api/datto/devices?site_uid=site-1")).json()).toMatchObject({
        count: 2,
      });
      expect((await app.fetch("technician", "GET", "/api/datto/device/dev-2")).status).toBe(200);
      expect((await app.fetch("technician", "GET", "/api/datto/device/nope")).status).toBe(404);
      datto.faults.add({ match: /device\/dev-1/, status: 500, times: Infinity });
      const down = await app.fetch("technician", "GET", "/api/datto/device/dev-1");
      expect(down.status).toBe(502);
      expect((await down.json()).error.code).toBe("provider_server");
      expect((await app.fetch("client", "GET", "/api/datto/devices")).status).toBe(403);
    });

    test("linking a site through the API sets AccountNumber in Datto", async () => {
      await upsertCompanies(app.deps.db, [{ account_number: "ACME-001", name: "Acme" }], { name: "admin" });
      const res = await app.fetch("admin", "POST", "/api/datto/sites/site-1/link", {
        json: { account_number: "ACME-001" },
      });
      expect(await res.json()).toEqual({ success: true, variable: "created" });
      expect(
        (await app.fetch("admin", "POST", "/api/datto/sites/site-1/link", { json: { account_number: "NOPE-9" } }))
          .status,
      ).toBe(422);
      expect(
        (await app.fetch("admin", "POST", "/api/datto/sites/site-x/link", { json: { account_number: "ACME-001" } }))
          .status,
      ).toBe(404);
    });

    test("POST /api/agents/sync reads every page of Keycloak users and answers with the finished run", async () => {
      const res = await app.fetch("admin", "POST", "/api/agents/sync");
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.job).toMatchObject({ status: "succeeded", kind: "agents" });
      expect(body.job.counts).toMatchObject({ users_fetched: 130, agents_created: 130 });
      kc.failures.push({ match: /members/, status: 500 });
      const failed = await app.fetch("admin", "POST", "/api/agents/sync");
      expect(failed.status).toBe(502);
      expect((await failed.json()).error.code).toBe("sync_failed");
      kc.failures.length = 0;
    });
  });
}
