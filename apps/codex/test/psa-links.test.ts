import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { upsertAgents } from "../src/agents/data.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { readSettings, writeSettings } from "../src/integrations/settings.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

const PREFIX = "/codex";
const FS = { external_source: "freshservice" };

for (const engine of ENGINES) {
  describe(`PSA deep links (${engine})`, () => {
    let codex: CodexUnderTest;
    const id: Record<string, number> = {};

    beforeAll(async () => {
      codex = await startCodex(engine);
      const h = codex.deps.db;
      await seedFixture(h);
      const actor = { name: "sync:freshservice" };
      await upsertCompanies(
        h,
        [{ account_number: "FS-100", name: "Synced Co", external_id: "19000001", ...FS }],
        actor,
      );
      await upsertContacts(
        h,
        [{ name: "Sam Synced", email: "sam@synced.example", companies: ["FS-100"], external_id: "19000002", ...FS }],
        actor,
      );
      await upsertTickets(h, [{ company: "FS-100", subject: "Synced ticket", external_id: "5001", ...FS }], actor);
      await upsertAgents(h, [{ email: "pat@msp.example", name: "Pat PSA", external_id: "900", ...FS }], actor);
      id.ticket = (await h.db.select().from(h.t.tickets).where(eq(h.t.tickets.externalId, "5001")))[0]!.id;
      id.local = (
        await h.db.select().from(h.t.tickets).where(eq(h.t.tickets.subject, "Printer jammed on floor 2"))
      )[0]!.id;
      id.contact = (await h.db.select().from(h.t.contacts).where(eq(h.t.contacts.email, "sam@synced.example")))[0]!.id;
    });
    afterAll(() => codex.stop());

    const html = async (level: PermissionLevel, path: string) => {
      const res = await codex.call(level, "GET", path, undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      expect([path, res.status]).toEqual([path, 200]);
      const text = await res.text();
      assertClassesDefined(text, path);
      return text;
    };
    const configure = async (domain: string, webDomain = "") => {
      const current = await readSettings(codex.deps.db, "freshservice");
      await writeSettings(
        codex.deps.db,
        "freshservice",
        { enabled: false, settings: { ...current.settings, domain, webDomain } },
        "test",
      );
    };

    test("before a domain is set there is no PSA to link to", async () => {
      expect(await (await codex.call("technician", "GET", "/api/psa/config")).json()).toEqual({
        default_provider: null,
        providers: {},
      });
      expect(await html("technician", `/tickets/${id.ticket}`)).not.toContain("Open in Freshservice");
    });

    test("GET /api/psa/config gives the URL templates from the configured domain, or the web domain when set", async () => {
      await configure("acme.freshservice.com");
      expect(await (await codex.call("billing", "GET", "/api/psa/config")).json()).toEqual({
        default_provider: "freshservice",
        providers: {
          freshservice: {
            name: "Freshservice",
            enabled: false,
            web_url: "https://acme.freshservice.com",
            ticket_url_template: "https://acme.freshservice.com/a/tickets/{ticket_id}",
            company_url_template: "https://acme.freshservice.com/a/admin/departments/{company_id}",
            contact_url_template: "https://acme.freshservice.com/a/requesters/{contact_id}",
          },
        },
      });
      await configure("acme.freshservice.com", "support.acme.example");
      expect(
        (await (await codex.call("service", "GET", "/api/psa/config")).json()).providers.freshservice
          .ticket_url_template,
      ).toBe("https://support.acme.example/a/tickets/{ticket_id}");
      expect((await codex.call("client", "GET", "/api/psa/config")).status).toBe(403);
      await configure("acme.freshservice.com");
    });

    test("synced tickets, companies and contacts link to Freshservice for staff; local records and clients get no link", async () => {
      expect(await html("technician", `/tickets/${id.ticket}`)).toContain(
        'href="https://acme.freshservice.com/a/tickets/5001"',
      );
      expect(await html("technician", `/tickets/${id.local}`)).not.toContain("Open in Freshservice");
      expect(await html("billing", "/companies/FS-100")).toContain(
        'href="https://acme.freshservice.com/a/admin/departments/19000001"',
      );
      expect(await html("admin", `/contacts/${id.contact}`)).toContain(
        'href="https://acme.freshservice.com/a/requesters/19000002"',
      );
      expect(await html("technician", "/companies/ACME-001")).not.toContain("Open in Freshservice");
      expect(await html("client", "/companies/ACME-001")).not.toContain("freshservice.com");
    });

    test("GET /api/psa/agents lists the agents synced from the PSA", async () => {
      const body = await (await codex.call("technician", "GET", "/api/psa/agents")).json();
      expect(body.provider).toBe("freshservice");
      expect(body.items.map((a: { name: string }) => a.name)).toEqual(["Pat PSA"]);
      expect((await codex.call("technician", "GET", "/api/psa/agents?provider=halo")).status).toBe(422);
      expect((await codex.call("client", "GET", "/api/psa/agents")).status).toBe(403);
    });

    test("the settings form takes a web address for links and refuses one that is not a host", async () => {
      const form = (web: string) =>
        new URLSearchParams({
          domain: "acme.freshservice.com",
          web_domain: web,
          account_number_field: "account_number",
          history_start: "2015-01-01",
          status_map: "2=open",
          priority_map: "1=low",
        });
      const send = async (web: string) =>
        codex.call(
          "admin",
          "POST",
          "/admin/integrations/freshservice",
          new URLSearchParams({ ...Object.fromEntries(form(web)), _csrf: await codex.csrf("admin") }).toString(),
          {
            accept: "text/html",
            "content-type": "application/x-www-form-urlencoded",
            "x-forwarded-prefix": PREFIX,
          },
        );
      const bad = await send("not a host");
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain("support.acme.com");
      expect((await send("portal.acme.example")).status).toBe(303);
      expect((await readSettings(codex.deps.db, "freshservice")).settings.webDomain).toBe("portal.acme.example");
      expect(await html("technician", `/tickets/${id.ticket}`)).toContain(
        'href="https://portal.acme.example/a/tickets/5001"',
      );
    });
  });
}
