import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";
import { listedRoutes } from "./route-list.ts";
import { acceptBill } from "../src/billing/bills/data.ts";
import { requireCompany } from "../src/companies/data.ts";

let codex: CodexUnderTest;
let ids: Record<string, string>;
const PREFIX = "/codex";

beforeAll(async () => {
  codex = await startCodex("sqlite");
  await seedFixture(codex.deps.db);
  const h = codex.deps.db;
  const [ticket] = await h.db.select().from(h.t.tickets).where(eq(h.t.tickets.subject, "Printer jammed on floor 2"));
  const [contact] = await h.db.select().from(h.t.contacts).where(eq(h.t.contacts.email, "ann@acme.example"));
  const [asset] = await h.db.select().from(h.t.assets).where(eq(h.t.assets.hostname, "ACME-WS-01"));
  const [plan] = await h.db.select().from(h.t.billingPlans);
  ids = {
    tickets: String(ticket!.id),
    contacts: String(contact!.id),
    assets: String(asset!.id),
    plans: String(plan!.id),
  };
  ids.invoice = (
    await acceptBill(h, await requireCompany(h, "ACME-001"), 2026, 1, null, { name: "test" })
  ).invoice_number;
});
afterAll(() => codex.stop());

const page = (level: PermissionLevel, path: string) =>
  codex.call(level, "GET", path, undefined, { accept: "text/html", "x-forwarded-prefix": PREFIX });
const post = async (level: PermissionLevel, path: string, fields: Record<string, string>, csrf = true) =>
  codex.call(
    level,
    "POST",
    path,
    new URLSearchParams({ ...fields, ...(csrf ? { _csrf: await codex.csrf(level) } : {}) }).toString(),
    {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-prefix": PREFIX,
    },
  );

function fill(path: string): string {
  return path
    .replace(":acct", "ACME-001")
    .replace(":kind", "contacts")
    .replace(/^\/(tickets|contacts|assets)\/:id/, (_, k: string) => `/${k}/${ids[k]}`)
    .replace("/billing/plans/:id", `/billing/plans/${ids.plans}`)
    .replace(":invoice", ids.invoice!);
}

describe("pages", () => {
  test("every page renders for each level allowed, with design-system classes only, prefixed links and no caching", async () => {
    const pages = listedRoutes(codex.app.routeTable).filter(
      (r) => r.page && r.method === "get" && !r.path.startsWith("/admin/integrations"),
    );
    expect(pages.length).toBeGreaterThan(15);
    for (const def of pages) {
      for (const level of def.access.levels) {
        const res = await page(level, fill(def.path));
        const html = await res.text();
        expect([level, def.path, res.status]).toEqual([level, def.path, 200]);
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(html).toStartWith("<!DOCTYPE html>");
        assertClassesDefined(html, `${def.path} as ${level}`);
        expect(html).not.toMatch(/ style=|<style|<script/);
        // Links stay behind Codex's prefix, except Helm's user management, Brainhair's "Ask Brainhair" and the
        // platform's home (other apps, through Nexus).
        for (const m of html.matchAll(/(?:href|action)="(\/[^"]*)"/g))
          expect([
            def.path,
            m[1]!.startsWith(`${PREFIX}/`) ||
              m[1] === "/helm/users" ||
              m[1]!.startsWith("/brainhair/?") ||
              m[1] === "/",
          ]).toEqual([def.path, true]);
      }
    }
  });

  test("the agents page sends admins to Helm to manage users", async () => {
    expect(await (await page("admin", "/agents")).text()).toContain('href="/helm/users"');
    expect(await (await page("technician", "/agents")).text()).not.toContain("/helm/users");
  });

  test("behind Nexus, the ticket and company pages open a Brainhair chat about that record", async () => {
    const ticket = await (await page("technician", `/tickets/${ids.tickets}`)).text();
    expect(ticket).toContain(`href="/brainhair/?ticket=${ids.tickets}"`);
    expect(await (await page("client", "/companies/ACME-001")).text()).toContain('href="/brainhair/?company=ACME-001"');
    const direct = await codex.call("technician", "GET", "/companies/ACME-001", undefined, { accept: "text/html" });
    expect(await direct.text()).not.toContain("Ask Brainhair");
  });

  test("the dashboard shows counts and server-rendered charts", async () => {
    const html = await (await page("technician", "/")).text();
    expect(html).toContain("Tickets opened and closed per week");
    expect(html).toContain("<svg");
    expect(html).toContain("Assets by type");
    const client = await (await page("client", "/")).text();
    expect(client).toContain("Dashboard: ACME-001");
    expect(client).not.toContain("Billing plans");
  });

  test("the companies list searches, sorts and paginates", async () => {
    const html = await (await page("technician", "/companies?q=beta")).text();
    expect(html).toContain("Beta Logistics");
    expect(html).not.toContain("Acme Dental");
    const sorted = await (await page("technician", "/companies?sort=name&order=desc")).text();
    expect(sorted.indexOf("Gamma Law")).toBeLessThan(sorted.indexOf("Acme Dental"));
    expect(sorted).toContain('aria-sort="descending"');
  });

  test("a form without its CSRF token is refused and writes nothing", async () => {
    const res = await post("technician", "/companies", { account_number: "NEW-1", name: "New" }, false);
    expect(res.status).toBe(403);
    expect(
      (
        await codex.deps.db.db
          .select({ n: count() })
          .from(codex.deps.db.t.companies)
          .where(eq(codex.deps.db.t.companies.accountNumber, "NEW-1"))
      )[0]!.n,
    ).toBe(0);
  });

  test("the company form shows errors next to the fields, then creates the company", async () => {
    const bad = await post("technician", "/companies", {
      account_number: "ACME-001",
      name: "",
      billing_plan: "Gold",
      contract_term: "",
      compliance_level: "standard",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    assertClassesDefined(html);
    expect(html).toMatch(/field--invalid[\s\S]*field-name-error|field-name[\s\S]*field__error/);
    expect(html).toContain('id="field-name-error"');
    const ok = await post("technician", "/companies", {
      account_number: "NEW-2",
      name: "Newco",
      compliance_level: "standard",
      billing_plan: "",
      contract_term: "",
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`${PREFIX}/companies/NEW-2?notice=created`);
    expect(await (await page("technician", "/companies/NEW-2?notice=created")).text()).toContain("Company created.");
  });

  test("the contact form shows a field error, then adds the contact to the company", async () => {
    const bad = await post("technician", "/contacts", {
      name: "Zed Zulu",
      email: "not-an-email",
      companies: "ACME-001",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="field-email-error"');
    expect(html).toContain('value="Zed Zulu"');
    const ok = await post("technician", "/contacts", {
      name: "Zed Zulu",
      email: "zed@acme.example",
      companies: "ACME-001",
      active: "on",
    });
    expect(ok.status).toBe(303);
    expect(await (await page("technician", "/contacts?q=zulu")).text()).toContain("Zed Zulu");
    expect(await (await page("technician", "/companies/ACME-001")).text()).toContain("Zed Zulu");
  });

  test("tickets: a client replies on its own ticket; staff add notes and change status", async () => {
    const reply = await post("client", `/tickets/${ids.tickets}/reply`, { body: "Any news?" });
    expect(reply.status).toBe(303);
    expect((await post("client", `/tickets/${ids.tickets}/note`, { body: "sneaky" })).status).toBe(403);
    const empty = await post("technician", `/tickets/${ids.tickets}/reply`, { body: "  " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Write something first.");
    expect((await post("technician", `/tickets/${ids.tickets}/note`, { body: "Ordered a new fuser" })).status).toBe(
      303,
    );
    expect(
      (
        await post("technician", `/tickets/${ids.tickets}/update`, {
          status: "resolved",
          priority: "high",
          assignee_id: "",
        })
      ).status,
    ).toBe(303);
    expect((await post("technician", `/tickets/${ids.tickets}/time`, { minutes: "abc" })).status).toBe(422);
    expect((await post("technician", `/tickets/${ids.tickets}/time`, { minutes: "30", note: "Swap" })).status).toBe(
      303,
    );
    const staff = await (await page("technician", `/tickets/${ids.tickets}`)).text();
    expect(staff).toContain("Ordered a new fuser");
    expect(staff).toContain("resolved");
    const client = await (await page("client", `/tickets/${ids.tickets}`)).text();
    expect(client).toContain("Any news?");
    expect(client).not.toContain("Ordered a new fuser");
    expect(client).not.toContain("toner supplier");
  });

  test("billing: a plan is edited with money in dollars; a bill is accepted from its page", async () => {
    const bad = await post("billing", `/billing/plans/${ids.plans}`, {
      name: "Gold",
      term: "1_year",
      per_user_cents: "15.999",
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("An amount like 25 or 25.50.");
    const form = await (await page("billing", `/billing/plans/${ids.plans}`)).text();
    const values = Object.fromEntries(
      [...form.matchAll(/<input[^>]*>/g)].flatMap((m) => {
        const name = /name="([a-z_]+)"/.exec(m[0])?.[1];
        const value = /value="([^"]*)"/.exec(m[0])?.[1];
        return name && name !== "_csrf" && value !== undefined ? [[name, value]] : [];
      }),
    );
    expect(values.per_user_cents).toBe("15.00");
    expect(
      (await post("billing", `/billing/plans/${ids.plans}`, { ...values, per_user_cents: "16.25", term: "1_year" }))
        .status,
    ).toBe(303);
    const [plan] = await codex.deps.db.db
      .select()
      .from(codex.deps.db.t.billingPlans)
      .where(eq(codex.deps.db.t.billingPlans.id, Number(ids.plans)));
    expect(plan!.perUserCents).toBe(1625);
    expect(
      (
        await post("billing", "/companies/ACME-001/line-items?year=2026&month=2", {
          name: "Setup",
          kind: "one_off",
          amount: "10",
          year: "2026",
          month: "2",
        })
      ).status,
    ).toBe(303);
    const accept = await post("billing", "/companies/ACME-001/bill/accept", { year: "2026", month: "2", notes: "" });
    expect(accept.status).toBe(303);
    const bill = await (await page("billing", "/companies/ACME-001/bill?year=2026&month=2")).text();
    expect(bill).toContain("Accepted bill");
    expect(bill).toContain("ACME-001-202602");
    expect((await post("billing", "/companies/ACME-001/bill/accept", { year: "2026", month: "2" })).status).toBe(422);
    expect((await post("technician", "/companies/ACME-001/bill/accept", { year: "2026", month: "1" })).status).toBe(
      403,
    );
    const client = await (await page("client", "/companies/ACME-001/bill?year=2026&month=2")).text();
    expect(client).not.toContain("Accept as");
  });

  test("my settings are saved per person; bad values are refused next to the field", async () => {
    expect((await post("technician", "/settings", { theme: "neon", home_page: "codex" })).status).toBe(422);
    expect((await post("technician", "/settings", { theme: "dark", home_page: "codex" })).status).toBe(303);
    expect(await (await codex.call("technician", "GET", "/api/my/settings")).json()).toEqual({
      theme: "dark",
      home_page: "codex",
      email_notifications: true,
    });
  });

  test("CSV import through the page reports bad lines and imports good files", async () => {
    const upload = async (csv: string) => {
      const form = new FormData();
      form.set("_csrf", await codex.csrf("technician"));
      form.set("file", new File([csv], "x.csv", { type: "text/csv" }));
      return codex.app.fetch(
        new Request("http://codex.test/import/contacts", {
          method: "POST",
          body: form,
          headers: { authorization: `Bearer ${await codex.token("technician")}`, accept: "text/html" },
        }),
      );
    };
    const bad = await upload("name,email\nOk,ok@x.example\nBad,nope\n");
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Line 3");
    const good = await upload("name,email,companies\nImported Person,imp@x.example,BETA-002\n");
    expect(good.status).toBe(200);
    expect(await good.text()).toContain("1 created");
  });
});
