import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { setStale } from "../src/data/stale.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { dashboardData } from "../src/dashboard/data.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

const PREFIX = "/codex";

for (const engine of ENGINES) {
  describe(`stale records and asset ↔ contact links (${engine})`, () => {
    let codex: CodexUnderTest;
    const id: Record<string, number> = {};

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      const h = codex.deps.db;
      const asset = async (hostname: string) =>
        (await h.db.select().from(h.t.assets).where(eq(h.t.assets.hostname, hostname)))[0]!.id;
      const contact = async (email: string) =>
        (await h.db.select().from(h.t.contacts).where(eq(h.t.contacts.email, email)))[0]!.id;
      id.ws = await asset("ACME-WS-01");
      id.srv = await asset("ACME-SRV-01");
      id.betaWs = await asset("BETA-WS-01");
      id.ann = await contact("ann@acme.example");
      id.carol = await contact("carol@consult.example");
      id.bob = await contact("bob@beta.example");
      id.gamma = (await h.db.select().from(h.t.companies).where(eq(h.t.companies.accountNumber, "GAMMA-003")))[0]!.id;
    });
    afterAll(() => codex.stop());

    const page = async (level: PermissionLevel, path: string) => {
      const res = await codex.call(level, "GET", path, undefined, {
        accept: "text/html",
        "x-forwarded-prefix": PREFIX,
      });
      const html = await res.text();
      expect([path, res.status]).toEqual([path, 200]);
      assertClassesDefined(html, path);
      return html;
    };
    const post = async (level: PermissionLevel, path: string, fields: Record<string, string>) =>
      codex.call(level, "POST", path, new URLSearchParams({ ...fields, _csrf: await codex.csrf(level) }).toString(), {
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-prefix": PREFIX,
      });
    const json = async (path: string, level: PermissionLevel = "technician") => {
      const res = await codex.call(level, "GET", path);
      expect([path, res.status]).toEqual([path, 200]);
      return res.json();
    };
    const month = { year: new Date().getUTCFullYear(), month: new Date().getUTCMonth() + 1 };

    test("a stale asset leaves lists and bills but stays readable, badged and dated", async () => {
      const billBefore = await json(`/api/billing/ACME-001?year=${month.year}&month=${month.month}`);
      const dashboardAssets = async () =>
        (await dashboardData(codex.deps.db, null)).counts.find((c) => c.label === "Assets")!.value;
      expect(await dashboardAssets()).toBe(4);
      const result = await setStale(codex.deps.db, "asset", { stale: [id.srv!], fresh: [] }, { name: "sync:datto" });
      expect(result).toEqual({ marked: 1, cleared: 0 });

      const hosts = async (q: string) =>
        (await json(`/api/assets?company=ACME-001${q}`)).items.map((a: { hostname: string }) => a.hostname);
      expect(await hosts("")).toEqual(["ACME-WS-01"]);
      expect(await hosts("&stale=include")).toEqual(["ACME-SRV-01", "ACME-WS-01"]);
      expect(await hosts("&stale=only")).toEqual(["ACME-SRV-01"]);
      expect((await json("/api/companies/ACME-001/assets")).items.map((a: { hostname: string }) => a.hostname)).toEqual(
        ["ACME-WS-01"],
      );
      expect(
        (await json("/api/companies/ACME-001/assets?stale=only", "client")).items.map(
          (a: { hostname: string }) => a.hostname,
        ),
      ).toEqual(["ACME-SRV-01"]);
      const srv = await json(`/api/assets/${id.srv}`);
      expect(srv.stale_since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect((await codex.call("technician", "GET", "/api/assets?stale=maybe")).status).toBe(422);
      expect(await dashboardAssets()).toBe(3);

      // The server (and its backup) no longer count: the bill drops by exactly what it cost.
      const billAfter = await json(`/api/billing/ACME-001?year=${month.year}&month=${month.month}`);
      expect(billAfter.totals.total_cents).toBeLessThan(billBefore.totals.total_cents);
      expect(JSON.stringify(billAfter.lines)).not.toMatch(/Server/);
      const billing = await json("/api/companies/ACME-001/billing-settings");
      expect(billing.assets.map((a: { hostname: string }) => a.hostname)).toEqual(["ACME-WS-01"]);

      const list = await page("technician", "/assets?company=ACME-001");
      expect(list).toContain("ACME-WS-01");
      expect(list).not.toContain("ACME-SRV-01");
      expect(list).toContain('<option value="exclude" selected="">Hide stale</option>');
      const withStale = await page("technician", "/assets?company=ACME-001&stale=include");
      expect(withStale).toContain("ACME-SRV-01");
      expect(withStale).toContain("stale since");
      const detail = await page("technician", `/assets/${id.srv}`);
      expect(detail).toContain("Stale since");
      expect(detail).toContain("not billed (stale)");
      const company = await page("technician", "/companies/ACME-001");
      expect(company).not.toContain(">ACME-SRV-01<");
      expect(company).toContain(`href="${PREFIX}/assets?company=ACME-001&amp;stale=only"`);

      await setStale(codex.deps.db, "asset", { stale: [], fresh: [id.srv!] }, { name: "sync:datto" });
      expect(await hosts("")).toEqual(["ACME-SRV-01", "ACME-WS-01"]);
      expect((await json(`/api/billing/ACME-001?year=${month.year}&month=${month.month}`)).totals.total_cents).toBe(
        billBefore.totals.total_cents,
      );
    });

    test("a stale company is hidden from the companies list unless asked for, and says so on its page", async () => {
      await setStale(codex.deps.db, "company", { stale: [id.gamma!], fresh: [] }, { name: "sync:freshservice" });
      const accounts = async (q: string) =>
        (await json(`/api/companies${q}`)).items.map((c: { account_number: string }) => c.account_number);
      expect(await accounts("")).toEqual(["ACME-001", "BETA-002"]);
      expect(await accounts("?stale=only")).toEqual(["GAMMA-003"]);
      expect(await page("technician", "/companies")).not.toContain("Gamma Law");
      const all = await page("technician", "/companies?stale=include");
      expect(all).toContain("Gamma Law");
      expect(all).toContain("stale since");
      expect(await page("technician", "/companies/GAMMA-003")).toContain("no longer found this company");
      await setStale(codex.deps.db, "company", { stale: [], fresh: [id.gamma!] }, { name: "sync:freshservice" });
      expect(await accounts("")).toEqual(["ACME-001", "BETA-002", "GAMMA-003"]);
    });

    test("a technician assigns and unassigns a contact from the asset page; the audit log names them", async () => {
      const before = await page("technician", `/assets/${id.ws}`);
      expect(before).toContain("Nobody is assigned to this asset");
      expect(before).toContain(`<option value="${id.ann}">Ann Archer (ann@acme.example)</option>`);
      expect(before).not.toContain("Bob Baker");

      const empty = await post("technician", `/assets/${id.ws}/contacts`, { contact_id: "" });
      expect(empty.status).toBe(422);
      expect(await empty.text()).toContain("Choose a contact.");
      const foreign = await post("technician", `/assets/${id.ws}/contacts`, { contact_id: String(id.bob) });
      expect(foreign.status).toBe(422);

      const ok = await post("technician", `/assets/${id.ws}/contacts`, { contact_id: String(id.ann) });
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe(`${PREFIX}/assets/${id.ws}?notice=assigned`);
      expect((await json(`/api/assets/${id.ws}`)).contact_ids).toEqual([id.ann]);
      const after = await page("technician", `/assets/${id.ws}?notice=assigned`);
      expect(after).toContain("Contact assigned.");
      expect(after).toContain(`action="${PREFIX}/assets/${id.ws}/contacts/${id.ann}/remove"`);
      expect(await page("technician", `/contacts/${id.ann}`)).toContain("ACME-WS-01");

      const h = codex.deps.db;
      const audit = await h.db
        .select()
        .from(h.t.auditLog)
        .where(
          and(
            eq(h.t.auditLog.entity, "asset"),
            eq(h.t.auditLog.entityId, String(id.ws)),
            eq(h.t.auditLog.actor, "technician"),
          ),
        );
      expect(audit.map((a) => [a.before, a.after])).toEqual([[{ contactIds: [] }, { contactIds: [id.ann] }]]);

      expect((await post("technician", `/assets/${id.ws}/contacts/${id.ann}/remove`, {})).status).toBe(303);
      expect((await json(`/api/assets/${id.ws}`)).contact_ids).toEqual([]);
    });

    test("a technician assigns an asset from the contact page, by list or (big companies) by hostname", async () => {
      const html = await page("technician", `/contacts/${id.carol}`);
      // Carol works for Acme and Beta: their current assets are offered.
      expect(html).toContain(`<option value="${id.betaWs}">BETA-WS-01</option>`);
      expect(html).toContain(`<option value="${id.ws}">ACME-WS-01</option>`);
      expect((await post("technician", `/contacts/${id.carol}/assets`, { asset_id: String(id.betaWs) })).status).toBe(
        303,
      );
      expect((await post("technician", `/contacts/${id.carol}/assets`, { hostname: "ACME-WS-01" })).status).toBe(303);
      expect((await json(`/api/assets/${id.ws}`)).contact_ids).toEqual([id.carol]);
      const again = await post("technician", `/contacts/${id.carol}/assets`, { hostname: "ACME-WS-01" });
      expect(again.status).toBe(422);
      expect(await again.text()).toContain("already assigned");
      const linked = await page("technician", `/contacts/${id.carol}`);
      expect(linked).toContain(`action="${PREFIX}/contacts/${id.carol}/assets/${id.ws}/remove"`);
      expect((await post("technician", `/contacts/${id.carol}/assets/${id.ws}/remove`, {})).status).toBe(303);
      expect((await json(`/api/assets/${id.ws}`)).contact_ids).toEqual([]);

      // Past 300 candidates the form asks for an email instead of listing everyone.
      await upsertContacts(
        codex.deps.db,
        Array.from({ length: 301 }, (_, i) => ({
          name: `Bulk ${i}`,
          email: `bulk${i}@acme.example`,
          companies: ["ACME-001"],
        })),
        { name: "fixture" },
      );
      const big = await page("technician", `/assets/${id.ws}`);
      expect(big).toContain('name="email"');
      expect(big).not.toContain("Bulk 12");
      expect((await post("technician", `/assets/${id.ws}/contacts`, { email: "BULK7@acme.example" })).status).toBe(303);
      expect((await json(`/api/assets/${id.ws}`)).contact_ids).toHaveLength(1);
    });

    test("the contacts page hides inactive people unless asked, like the old one", async () => {
      expect(await page("technician", "/contacts?q=drake")).not.toContain("Dan Drake");
      const inactive = await page("technician", "/contacts?status=inactive");
      expect(inactive).toContain("Dan Drake");
      expect(inactive).not.toContain("Ann Archer");
      const all = await page("technician", "/contacts?q=drake&status=all");
      expect(all).toContain("Dan Drake");
      expect(all).toContain('<option value="all" selected="">Active and inactive</option>');
      expect(await page("technician", "/contacts?q=drake&status=bogus")).not.toContain("Dan Drake");
    });

    test("clients and billing staff see links but no assign or unassign forms, and may not post them", async () => {
      for (const level of ["client", "billing"] as const) {
        const html = await page(level, `/assets/${id.ws}`);
        expect(html).not.toContain("/remove");
        expect(html).not.toContain("Assign contact");
        const res = await post(level, `/assets/${id.ws}/contacts`, { contact_id: String(id.ann) });
        expect([level, res.status]).toEqual([level, 403]);
      }
      expect(await page("client", `/contacts/${id.ann}`)).not.toContain("Assign asset");
    });
  });
}
