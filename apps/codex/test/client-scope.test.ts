import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { acceptBill } from "../src/billing/bills/data.ts";
import { requireCompany } from "../src/companies/data.ts";
import { accessRows } from "./access-table.ts";
import { seedFixture } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex, type TokenOptions } from "./harness.ts";

/**
 * A client user sees its own company's data only (the `company` claim, an account number). A
 * client whose token names no company, or a company Codex does not know, belongs to no company:
 * it sees nothing at all on every route and page a client may read (never everything, as if it
 * were staff), and gets 404 for every record. Staff and services are not confined.
 */

/** Words of each company's records in the fixture (seedFixture). */
const ACME = ["ACME-001", "Acme Dental", "ann@acme.example", "ACME-WS-01", "ACME-SRV-01", "Printer jammed"];
const OTHERS = ["BETA-002", "Beta Logistics", "bob@beta.example", "BETA-WS-01", "GAMMA-003", "Gamma Law", "VPN down"];
const SHARED = ["carol@consult.example"];
const EVERY_COMPANY = [...ACME, ...OTHERS, ...SHARED, "Main office", "Warehouse"];

/** The queries some routes need to answer at all. */
const QUERIES: Record<string, string> = {
  "/api/search": "?q=e",
  "/search": "?q=e",
  "/api/billing": "?year=2026&month=3",
  "/api/billing/export.csv": "?year=2026&month=3",
  "/api/billing/:acct": "?year=2026&month=3",
  "/api/billing/:acct/invoice.csv": "?year=2026&month=3",
  "/companies/:acct/bill": "?year=2026&month=3",
};

/** Every GET route and page a client may call, from the written-out access table (the document holds no one's data). */
const CLIENT_READS = accessRows().filter(
  (row) => row.method === "GET" && row.admits.client && row.path !== "/api/openapi.json",
);

for (const engine of ENGINES) {
  describe(`client scope on ${engine}`, () => {
    let codex: CodexUnderTest;
    const own: Record<string, string> = {};

    beforeAll(async () => {
      codex = await startCodex(engine);
      const { db, t } = codex.deps.db;
      await seedFixture(codex.deps.db);
      const idOf = async (table: "contacts" | "assets" | "tickets", where: ReturnType<typeof eq>) =>
        String(
          (
            await db
              .select()
              .from(t[table] as never)
              .where(where)
          )[0]!["id" as never],
        );
      Object.assign(own, {
        acct: "ACME-001",
        invoice: "ACME-001-202603",
        contacts: await idOf("contacts", eq(t.contacts.email, "ann@acme.example")),
        carol: await idOf("contacts", eq(t.contacts.email, "carol@consult.example")),
        assets: await idOf("assets", eq(t.assets.hostname, "ACME-WS-01")),
        tickets: await idOf("tickets", eq(t.tickets.subject, "Printer jammed on floor 2")),
      });
      await acceptBill(codex.deps.db, await requireCompany(codex.deps.db, "ACME-001"), 2026, 3, null, actor);
      await acceptBill(codex.deps.db, await requireCompany(codex.deps.db, "BETA-002"), 2026, 3, null, actor);
    }, 30_000);
    afterAll(() => codex.stop());
    const actor = { name: "scope-test" };

    /** A route's path with ACME-001's records in it, and the query it needs. */
    const filled = (path: string) =>
      path.replace(/:(acct|invoice|id)/, (_, name: string) => {
        if (name !== "id") return own[name]!;
        const kind = /^\/(?:api\/)?([a-z]+?)s?\//.exec(path)![1]!;
        return own[`${kind}s`]!;
      }) + (QUERIES[path] ?? "");

    const as = async (o: TokenOptions, method: string, path: string, body?: string, type = "application/json") => {
      const headers: Record<string, string> = {
        accept: "application/json",
        authorization: `Bearer ${await codex.token("client", o)}`,
      };
      if (body !== undefined) headers["content-type"] = type;
      return codex.app.fetch(new Request(`http://codex.test${path}`, { method, headers, body }));
    };

    for (const [who, token] of [
      ["a client whose token has no company claim", { company: null, user: "orphan" }],
      ["a client of a company Codex does not know", { company: "ZZZ-999", user: "stranger" }],
    ] as const)
      test(`${who} sees no company's data on any route or page, and no record`, async () => {
        expect(CLIENT_READS.length).toBeGreaterThan(30);
        const wrong: string[] = [];
        for (const row of CLIENT_READS) {
          const res = await as(token, "GET", filled(row.path));
          const text = await res.text();
          const expected = /:(acct|invoice|id)/.test(row.path) ? 404 : 200;
          if (res.status !== expected) wrong.push(`${row.path} → ${res.status} ${text.slice(0, 120)}`);
          for (const word of EVERY_COMPANY) if (text.includes(word)) wrong.push(`${row.path} shows ${word}`);
        }
        expect(wrong).toEqual([]);
      });

    test("what an unconfined client would see: the same routes show ACME-001's own data", async () => {
      const acme = {};
      const shows = async (path: string, word: string) => {
        const text = await (await as(acme, "GET", path)).text();
        expect([path, text.includes(word)]).toEqual([path, true]);
      };
      await shows("/api/companies", "Acme Dental");
      await shows("/api/billing?year=2026&month=3", "ACME-001-202603");
      await shows("/api/invoices", "ACME-001-202603");
      await shows("/api/search?q=printer", "Printer jammed");
      await shows(filled("/api/contacts/:id"), "ann@acme.example");
      await shows(filled("/api/assets/:id"), "ACME-WS-01");
      await shows(filled("/api/tickets/:id"), "Printer jammed");
      await shows("/api/companies/ACME-001", "Acme Dental");
      await shows("/api/invoices/ACME-001-202603", "ACME-001-202603");
      await shows("/api/companies/export.csv", "ACME-001");
      const body = await (await as({ company: null }, "GET", "/api/companies")).json();
      expect(body.items).toEqual([]);
    });

    test("records are missing, not forbidden: each 404 names what it looked for", async () => {
      const orphan = { company: null, user: "orphan" };
      for (const [path, message] of [
        ["/api/companies/ACME-001", "No such company."],
        [`/api/contacts/${own.contacts}`, "No such contact."],
        [`/api/assets/${own.assets}`, "No such asset."],
        [`/api/tickets/${own.tickets}`, "No such ticket."],
        ["/api/invoices/ACME-001-202603", "No such invoice."],
      ]) {
        const res = await as(orphan, "GET", path!);
        expect([path, res.status, (await res.json()).error]).toEqual([
          path,
          404,
          { code: "not_found", message, details: null },
        ]);
      }
    });

    test("a contact of several companies is seen by a client of any of them, and by no one else", async () => {
      const carol = `/api/contacts/${own.carol}`;
      const ann = `/api/contacts/${own.contacts}`;
      expect((await as({}, "GET", carol)).status).toBe(200);
      expect((await as({ company: "BETA-002", user: "bob" }, "GET", carol)).status).toBe(200);
      expect((await as({ company: "BETA-002", user: "bob" }, "GET", ann)).status).toBe(404);
      expect((await as({ company: "GAMMA-003", user: "dan" }, "GET", carol)).status).toBe(404);
      expect((await as({ company: null, user: "orphan" }, "GET", carol)).status).toBe(404);
    });

    test("a client without a company cannot reply on any ticket, over the API or the page", async () => {
      const orphan = { company: null, user: "orphan" };
      const api = await as(orphan, "POST", `/api/tickets/${own.tickets}/replies`, JSON.stringify({ body: "Hello?" }));
      expect(api.status).toBe(404);
      // The page's form carries the CSRF token of the orphan's own session.
      const jwt = await codex.token("client", orphan);
      const session = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
      const form = new URLSearchParams({
        body: "Hello?",
        _csrf: codex.deps.csrf.token({ get: () => session } as never),
      });
      const page = await as(
        orphan,
        "POST",
        `/tickets/${own.tickets}/reply`,
        form.toString(),
        "application/x-www-form-urlencoded",
      );
      expect(page.status).toBe(404);
      const ticket = await (await codex.call("technician", "GET", `/api/tickets/${own.tickets}`)).json();
      expect(ticket.conversation.map((entry: { body: string }) => entry.body)).not.toContain("Hello?");
    });

    test("a client without a known company opens no ticket and closes none, over the API or the page", async () => {
      const count = async () =>
        (await (await codex.call("technician", "GET", "/api/tickets?limit=500")).json()).items.length;
      const before = await count();
      const orphan = { company: null, user: "orphan" };
      const ticket = JSON.stringify({ subject: "Printer on fire", description: "Help" });
      const api = await as(orphan, "POST", "/api/tickets", ticket);
      expect(api.status).toBe(403);
      expect((await api.json()).error.message).toBe(
        "Your sign-in is not linked to a company, so you cannot open tickets.",
      );
      expect((await as({ company: "ZZZ-999", user: "stranger" }, "POST", "/api/tickets", ticket)).status).toBeLessThan(
        500,
      );
      const jwt = await codex.token("client", orphan);
      const session = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
      const form = new URLSearchParams({
        subject: "Printer on fire",
        description: "Help",
        _csrf: codex.deps.csrf.token({ get: () => session } as never),
      });
      const page = await as(orphan, "POST", "/tickets", form.toString(), "application/x-www-form-urlencoded");
      expect(page.status).toBe(403);
      expect(await count()).toBe(before);
      expect((await as(orphan, "POST", `/api/tickets/${own.tickets}/close`, "{}")).status).toBe(404);
      const acme = await (await codex.call("technician", "GET", `/api/tickets/${own.tickets}`)).json();
      expect(acme.status).not.toBe("closed");
    });

    test("staff and services are not confined to a company", async () => {
      for (const level of ["admin", "technician", "billing", "service"] as const) {
        const companies = await (await codex.call(level, "GET", "/api/companies")).json();
        expect([level, companies.items.map((c: { account_number: string }) => c.account_number)]).toEqual([
          level,
          ["ACME-001", "BETA-002", "GAMMA-003"],
        ]);
        const bills = await (await codex.call(level, "GET", "/api/billing?year=2026&month=3")).json();
        expect([level, bills.items.length]).toEqual([level, 3]);
        expect((await codex.call(level, "GET", "/api/invoices/BETA-002-202603")).status).toBe(200);
      }
    });

    test("an empty company claim is no claim at all: the token is refused", async () => {
      const res = await as({ company: "", user: "blank" }, "GET", "/api/companies");
      expect(res.status).toBe(401);
    });
  });
}
