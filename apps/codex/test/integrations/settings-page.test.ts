import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { eq } from "drizzle-orm";
import { assertClassesDefined } from "@hivematrix/lib/testing";
import { secretPath } from "@hivematrix/lib/secrets";
import { upsertCompanies } from "../../src/companies/data.ts";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { readSettings } from "../../src/integrations/settings.ts";
import { startIntegrationsApp, waitForJob, type IntegrationsApp } from "./app-harness.ts";
import { ENGINES } from "./engines.ts";
import { fakeDevice, startFakeDatto, type FakeDatto } from "./fakes/datto.ts";
import { startFakeFreshservice, type FakeFreshservice } from "./fakes/freshservice.ts";
import { configureDatto } from "./setup.ts";

const WEBHOOK_SECRET = `${"w".repeat(20)}-webhook-secret`;

async function csrfOf(app: IntegrationsApp): Promise<string> {
  const html = await (
    await app.fetch("admin", "GET", "/admin/integrations", { headers: { accept: "text/html" } })
  ).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

for (const engine of ENGINES) {
  describe(`integrations page (${engine})`, () => {
    let app: IntegrationsApp;
    let fs: FakeFreshservice;
    let datto: FakeDatto;

    beforeAll(async () => {
      app = await startIntegrationsApp(engine);
      await upsertCompanies(app.deps.db, [{ account_number: "ACME-001", name: "Acme" }], { name: "admin" });
      fs = await startFakeFreshservice({
        departments: [{ id: 11, name: "Acme", custom_fields: { account_number: "ACME-001" } }],
      });
      datto = await startFakeDatto([
        {
          uid: "site-1",
          name: "Acme HQ",
          variables: [{ id: 1, name: "AccountNumber", value: "ACME-001" }],
          devices: [fakeDevice("dev-1", "PC-01", "site-1"), fakeDevice("dev-2", "PC-02", "site-1")],
        },
      ]);
      await configureDatto(app.integrations.ctx, datto);
      saveIntegrationSecret(app.deps.config.home, SECRET_NAMES.webhookSecret, WEBHOOK_SECRET);
    });
    afterAll(async () => {
      await app.stop();
      await Promise.all([fs.stop(), datto.stop()]);
    });

    test("the settings page shows what is configured, never the secrets, and uses only design-system classes", async () => {
      const res = await app.fetch("admin", "GET", "/admin/integrations", { headers: { accept: "text/html" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      assertClassesDefined(html, "integrations page");
      expect(html).not.toContain(fs.apiKey);
      expect(html).not.toContain(datto.apiSecret);
      expect(html).not.toContain(WEBHOOK_SECRET);
      expect(html).toContain("configured");
      expect(
        (await app.fetch("technician", "GET", "/admin/integrations", { headers: { accept: "text/html" } })).status,
      ).toBe(403);
    });

    test("the webhook card says how the webhook is really reached: Nexus's public path, the secret, the allowlist", async () => {
      const card = async (headers: Record<string, string>) => {
        const html = await (
          await app.fetch("admin", "GET", "/admin/integrations", { headers: { accept: "text/html", ...headers } })
        ).text();
        return html.slice(html.indexOf('id="webhooks"'), html.indexOf('id="schedule"'));
      };
      const self = app.deps.config.self;
      const listed = self.publicPaths;
      try {
        self.publicPaths = ["/webhooks/"];
        const through = await card({
          "x-forwarded-prefix": "/codex",
          "x-forwarded-host": "hive.example",
          "x-forwarded-proto": "https",
        });
        expect(through).toContain("https://hive.example/codex/webhooks/freshservice/ticket");
        expect(through).toContain("publicPaths");
        expect(through).toContain("without a session");
        expect(through).toContain("X-Webhook-Secret");
        expect(through).toContain("the address Nexus received the call from");
        expect(through).not.toContain("must reach Codex directly");
        // Seen on Codex's own port, the page still gives the address through Nexus, not the loopback one.
        const direct = await card({});
        expect(direct).toContain("/codex/webhooks/freshservice/ticket");
        expect(direct).not.toContain(self.url);

        self.publicPaths = [];
        const closed = await card({ "x-forwarded-prefix": "/codex", "x-forwarded-host": "hive.example" });
        expect(closed).toContain("cannot reach this webhook");
        expect(closed).toContain("&quot;publicPaths&quot;: [&quot;/webhooks/&quot;]");
        expect(closed).not.toContain("https://hive.example/codex/webhooks");
      } finally {
        self.publicPaths = listed;
      }
    });

    test("settings forms need the CSRF token, show errors next to fields, and store keys 0600 in secrets/", async () => {
      const noToken = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { domain: fs.url },
      });
      expect(noToken.status).toBe(403);
      const csrf = await csrfOf(app);
      const base = {
        _csrf: csrf,
        fs_enabled: "on",
        account_number_field: "account_number",
        history_start: "2020-01-01",
        status_map: "2=open\n19=update_needed",
        priority_map: "1=low\n2=medium\n3=high\n4=urgent",
      };
      const bad = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...base, domain: "http://evil.example", status_map: "2=opened" },
      });
      expect(bad.status).toBe(422);
      const badHtml = await bad.text();
      expect(badHtml).toContain("field__error");
      expect(badHtml).toContain("is not id=status");
      assertClassesDefined(badHtml, "integrations page with errors");
      const good = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...base, domain: fs.url, fs_api_key: "new-key-123" },
      });
      expect(good.status).toBe(303);
      expect(good.headers.get("location")).toBe("/admin/integrations?notice=saved-freshservice");
      expect(statSync(secretPath(app.deps.config.home, SECRET_NAMES.freshserviceApiKey)).mode & 0o777).toBe(0o600);
      const page = await (
        await app.fetch("admin", "GET", "/admin/integrations?notice=saved-freshservice", {
          headers: { accept: "text/html" },
        })
      ).text();
      expect(page).toContain("Freshservice settings saved.");
      expect(page).not.toContain("new-key-123");
      expect(page).toContain("19=update_needed");
    });

    test("Test connection really calls the provider and reports the outcome", async () => {
      const csrf = await csrfOf(app);
      // The key saved above is not the fake's: the test must fail, then pass once it is right.
      const fail = await (
        await app.fetch("admin", "POST", "/admin/integrations/test/freshservice", { form: { _csrf: csrf } })
      ).text();
      expect(fail).toContain("Freshservice: connection failed");
      saveIntegrationSecret(app.deps.config.home, SECRET_NAMES.freshserviceApiKey, fs.apiKey);
      const pass = await (
        await app.fetch("admin", "POST", "/admin/integrations/test/freshservice", { form: { _csrf: csrf } })
      ).text();
      expect(pass).toContain("Freshservice: connection works");
      const dattoOk = await (
        await app.fetch("admin", "POST", "/admin/integrations/test/datto", { form: { _csrf: csrf } })
      ).text();
      expect(dattoOk).toContain("Fake MSP");
    });

    test("items 3, 5, 7: forms take all workspaces, client mappings, udf300, department fields", async () => {
      const csrf = await csrfOf(app);
      const fsForm = {
        _csrf: csrf,
        fs_enabled: "on",
        domain: fs.url,
        account_number_field: "account_number",
        history_start: "2020-01-01",
        status_map: "2=open",
        priority_map: "1=low\n2=medium",
      };
      const all = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...fsForm, workspace_ids: "all", company_fields: "phone=main_phone\naddress=street" },
      });
      expect(all.status).toBe(303);
      const saved = (await readSettings(app.deps.db, "freshservice")).settings;
      expect(saved.workspaceIds).toBe("all");
      expect(saved.companyFields).toMatchObject({ phone: "main_phone", address: "street" });
      const msp = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...fsForm, companies_from: "workspaces", clients: "2=ACME-001\n3=BETA-002" },
      });
      expect(msp.status).toBe(303);
      expect((await readSettings(app.deps.db, "freshservice")).settings).toMatchObject({
        companiesFrom: "workspaces",
        clients: { "2": "ACME-001", "3": "BETA-002" },
      });
      const badField = await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...fsForm, company_fields: "fax=main_fax" },
      });
      expect(badField.status).toBe(422);
      await app.fetch("admin", "POST", "/admin/integrations/freshservice", {
        form: { ...fsForm, companies_from: "departments", workspace_ids: "" },
      });
      const dattoForm = {
        _csrf: csrf,
        datto_enabled: "on",
        api_url: datto.url,
        account_variable: "AccountNumber",
        backup_bytes_udf: "",
      };
      const udf = await app.fetch("admin", "POST", "/admin/integrations/datto", {
        form: { ...dattoForm, udf_labels: "udf250=Backup vault", backup_bytes_udf: "udf300" },
      });
      expect(udf.status).toBe(303);
      expect((await readSettings(app.deps.db, "datto")).settings.udfLabels).toEqual({ udf250: "Backup vault" });
      const tooHigh = await app.fetch("admin", "POST", "/admin/integrations/datto", {
        form: { ...dattoForm, udf_labels: "udf301=Nope" },
      });
      expect(tooHigh.status).toBe(422);
      fs.data.departmentFields = [
        { id: 1, name: "account_number", label: "Account number", field_type: "custom_text" },
        { id: 2, name: "main_phone", label: "Main phone", field_type: "custom_text" },
      ];
      const tested = await (
        await app.fetch("admin", "POST", "/admin/integrations/test/freshservice", { form: { _csrf: csrf } })
      ).text();
      expect(tested).toContain("Freshservice: connection works");
      expect(tested).toContain("main_phone (Main phone)");
    });

    test("the schedule form validates cron, re-arms the scheduler and shows the next run", async () => {
      const csrf = await csrfOf(app);
      const form: Record<string, string> = {
        _csrf: csrf,
        timezone: "UTC",
        tickets_enabled: "on",
        tickets_cron: "not a cron",
      };
      for (const k of ["psa", "tickets_full", "rmm", "agents"]) form[`${k}_cron`] = "0 3 * * *";
      const bad = await app.fetch("admin", "POST", "/admin/integrations/schedule", { form });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain("Not a cron expression");
      const ok = await app.fetch("admin", "POST", "/admin/integrations/schedule", {
        form: { ...form, tickets_cron: "*/15 * * * *" },
      });
      expect(ok.status).toBe(303);
      const view = app.integrations.schedule().find((s) => s.kind === "tickets")!;
      expect(view.enabled).toBe(true);
      expect(view.nextRun!.getUTCMinutes() % 15).toBe(0);
      expect(
        await (await app.fetch("admin", "GET", "/admin/integrations", { headers: { accept: "text/html" } })).text(),
      ).toContain("*/15 * * * *");
      app.integrations.scheduler.stop();
    });

    test("Run now starts a run from the page and the history lists it", async () => {
      const csrf = await csrfOf(app);
      const res = await app.fetch("admin", "POST", "/admin/integrations/run/rmm", { form: { _csrf: csrf } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/integrations?notice=started-rmm");
      const [job] = await app.deps.db.db
        .select()
        .from(app.deps.db.t.syncJobs)
        .where(eq(app.deps.db.t.syncJobs.kind, "rmm"));
      await waitForJob(app, job!.id);
      const html = await (
        await app.fetch("admin", "GET", "/admin/integrations?notice=started-rmm", { headers: { accept: "text/html" } })
      ).text();
      expect(html).toContain("Started: Sites and devices (Datto RMM)");
      expect(html).toContain("assets created: 2");
    });
  });
}
