import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Caller, matrixRoutes, permissionMismatches } from "@hivematrix/lib/testing";
import { acceptBill } from "../src/billing/bills/data.ts";
import { requireCompany } from "../src/companies/data.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";
import { clientMay, type ListedRoute, listedRoutes } from "./route-list.ts";
import { PNG, ticketId, uploadFile } from "./attachment-helpers.ts";

/** What the ACME-001 client must never see: other companies' names, numbers and people. */
const FOREIGN = [
  "BETA-002",
  "GAMMA-003",
  "Beta Logistics",
  "Gamma Law",
  "bob@beta.example",
  "dan@gamma.example",
  "BETA-WS-01",
  "GAMMA-FW-01",
  "VPN down",
  "paralegal",
  "Warehouse",
];
const MISSING = "999999";

interface Ids {
  own: Record<string, string>;
  foreign: Record<string, string>;
}

/** An attachment (uploaded by a technician) on the fixture's ticket of this subject: its id. */
async function attached(codex: CodexUnderTest, subject: string, filename: string): Promise<string> {
  const res = await uploadFile(codex, "technician", await ticketId(codex, subject), PNG, { filename });
  return String((await res.json()).id);
}

/** Fills a route's path parameters: the ACME-001 records, another company's, or ones that don't exist (for deletes). */
function fill(path: string, method: string, ids: Record<string, string>): string {
  const resource = /^\/(?:api\/)?([a-z-]+)/.exec(path)?.[1] ?? "";
  return path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    if (method === "delete" || path.endsWith("/delete"))
      return name === "acct" && path.split("/").length > 4 ? ids.acct! : name === "acct" ? "NOPE-404" : MISSING;
    // Closing takes a ticket the client opened itself (and leaves the shared fixture ticket open).
    if (name === "id" && path.endsWith("/close")) return ids.closable ?? MISSING;
    if (name === "id") return ids[resource] ?? MISSING;
    return ids[name] ?? MISSING;
  });
}

for (const engine of ENGINES) {
  describe(`permissions on ${engine}`, () => {
    let codex: CodexUnderTest;
    let routes: ListedRoute[];
    const ids: Ids = { own: {}, foreign: {} };

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      routes = listedRoutes(codex.app.routeTable);
      const h = codex.deps.db;
      const one = async (table: "contacts" | "assets" | "tickets" | "locations", col: string, value: string) => {
        const t = h.t[table] as unknown as Record<string, never>;
        const [row] = await h.db
          .select()
          .from(h.t[table] as never)
          .where(eq(t[col]!, value as never));
        return String((row as unknown as { id: number }).id);
      };
      const [agent] = await h.db.select().from(h.t.agents);
      const [plan] = await h.db.select().from(h.t.billingPlans);
      const shared = { agents: String(agent!.id), "billing-plans": String(plan!.id), year: "2026", month: "3" };
      ids.own = {
        ...shared,
        acct: "ACME-001",
        contacts: await one("contacts", "email", "ann@acme.example"),
        assets: await one("assets", "hostname", "ACME-WS-01"),
        tickets: await one("tickets", "subject", "Printer jammed on floor 2"),
        ticket: await one("tickets", "subject", "Printer jammed on floor 2"),
        location_id: await one("locations", "name", "Main office"),
        attachment_id: await attached(codex, "Printer jammed on floor 2", "acme.png"),
        closable: String(
          (await (await codex.call("client", "POST", "/api/tickets", { subject: "Mine to close" })).json()).id,
        ),
      };
      await acceptBill(h, await requireCompany(h, "ACME-001"), 2026, 3, null, { name: "test" });
      await acceptBill(h, await requireCompany(h, "BETA-002"), 2026, 3, null, { name: "test" });
      ids.own.invoice = "ACME-001-202603";
      ids.foreign = {
        ...shared,
        acct: "BETA-002",
        contacts: await one("contacts", "email", "bob@beta.example"),
        assets: await one("assets", "hostname", "BETA-WS-01"),
        tickets: await one("tickets", "subject", "VPN down for warehouse"),
        ticket: await one("tickets", "subject", "VPN down for warehouse"),
        location_id: await one("locations", "name", "Warehouse"),
        attachment_id: await attached(codex, "VPN down for warehouse", "beta.png"),
        closable: String(await ticketId(codex, "VPN down for warehouse")),
        invoice: "BETA-002-202603",
      };
    });
    afterAll(() => codex.stop());

    const needsPeriod = (def: ListedRoute) =>
      Boolean(
        def.query &&
          JSON.stringify(z.toJSONSchema(def.query, { io: "input", unrepresentable: "any" })).includes('"month"'),
      );
    const send = async (caller: Caller | null, def: ListedRoute, rawPath: string) => {
      const path =
        def.method === "get" && needsPeriod(def) && !rawPath.includes("?") ? `${rawPath}?year=2026&month=3` : rawPath;
      if (def.page && def.method === "post") {
        const form =
          caller && caller !== "service" ? new URLSearchParams({ _csrf: await codex.csrf(caller) }).toString() : "";
        return codex.call(caller, "POST", path, form, { "content-type": "application/x-www-form-urlencoded" });
      }
      const body = def.method === "post" || def.method === "put" ? (def.bodyType === "text/csv" ? "" : {}) : undefined;
      const headers: Record<string, string> = def.bodyType === "text/csv" ? { "content-type": "text/csv" } : {};
      return codex.call(caller, def.method.toUpperCase(), path, body, headers);
    };

    test("the route table covers every route the app serves", () => {
      const declared = new Set(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`));
      const served = codex.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
      const undeclared = served.filter(
        (s) =>
          !declared.has(s) &&
          !["GET /health", "GET /metrics"].includes(s) &&
          // Freshservice's webhook authenticates itself by its shared secret, outside the table.
          !s.includes("/webhooks"),
      );
      expect(undeclared).toEqual([]);
      expect(routes.length).toBeGreaterThan(40);
    });

    test("what a client may do with tickets, by rule (the portal)", () => {
      const rules = Object.fromEntries(
        routes
          .filter((r) => clientMay(r) && /\/tickets/.test(r.path))
          .map((r) => [`${r.page ? "page" : "api"} ${r.method.toUpperCase()} ${r.path}`, r.access.name]),
      );
      expect(rules).toEqual({
        "api GET /api/tickets/export.csv": "read",
        "api GET /api/tickets/export.json": "read",
        "api GET /api/tickets": "read",
        "api POST /api/tickets": "open",
        "api GET /api/tickets/:id": "read",
        "api POST /api/tickets/:id/close": "close",
        "api POST /api/tickets/:id/replies": "reply",
        "api POST /api/tickets/:id/attachments": "reply",
        "api GET /api/tickets/:id/attachments": "read",
        "api GET /api/tickets/:id/attachments/:attachment_id": "read",
        "api GET /api/companies/:acct/tickets": "read",
        "page GET /tickets/new": "open",
        "page POST /tickets": "open",
        "page GET /tickets": "read",
        "page GET /tickets/:id": "read",
        "page POST /tickets/:id/reply": "reply",
        "page POST /tickets/:id/close": "close",
      });
      // Every one of them is confined to the client's company.
      for (const r of routes.filter((r) => !r.page && clientMay(r) && r.path.includes("/tickets")))
        expect([r.path, r.access.clientScoped]).toEqual([r.path, true]);
    });

    test("every route refuses a request without a token", async () => {
      for (const r of codex.app.routes.filter(
        (x) => x.method !== "ALL" && x.path !== "/health" && !x.path.startsWith("/webhooks"),
      )) {
        const res = await codex.app.fetch(
          new Request(`http://codex.test${fill(r.path, r.method.toLowerCase(), ids.own)}`, {
            method: r.method,
            headers: { accept: "application/json" },
          }),
        );
        expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 401]);
      }
    });

    test("every route admits exactly the levels its access rule names", async () => {
      const byKey = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
      const crashed: string[] = [];
      const mismatches = await permissionMismatches(
        matrixRoutes(codex.app.routeTable),
        async (caller, method, path) => {
          const def = byKey.get(`${method.toLowerCase()} ${path}`)!;
          const res = await send(caller, def, fill(def.path, def.method, ids.own));
          if (res.status >= 500) crashed.push(`${caller} ${method} ${def.path} → ${res.status}`);
          return res;
        },
        (route) => route.path.replaceAll(/{([^}]+)}/g, ":$1"),
      );
      expect([...mismatches, ...crashed]).toEqual([]);
    }, 60_000);

    test("a client sees only ACME-001's data on every route it may read", async () => {
      const leaks: string[] = [];
      const clientReads = routes.filter((d) => d.method === "get" && clientMay(d));
      expect(clientReads.length).toBeGreaterThan(10);
      for (const def of clientReads) {
        const res = await send(
          "client",
          def,
          fill(def.path, def.method, ids.own) + (def.path.includes("search") ? "?q=e" : ""),
        );
        const text = await res.text();
        if (res.status !== 200) leaks.push(`${def.path} → ${res.status} ${text.slice(0, 200)}`);
        for (const word of FOREIGN) if (text.includes(word)) leaks.push(`${def.path} shows ${word}`);
      }
      expect(leaks).toEqual([]);
    });

    test("a client gets 404 for another company's records, and search finds nothing of theirs", async () => {
      const wrong: string[] = [];
      for (const def of routes.filter((d) => clientMay(d) && /:(acct|id)/.test(d.path) && d.method !== "delete")) {
        const res = await send("client", def, fill(def.path, def.method, ids.foreign));
        if (res.status !== 404) wrong.push(`${def.method} ${def.path} → ${res.status}`);
      }
      expect(wrong).toEqual([]);
      for (const q of ["beta", "vpn", "gamma", "bob"]) {
        const body = await (await codex.call("client", "GET", `/api/search?q=${q}`)).json();
        expect([q, body.companies, body.contacts, body.assets, body.tickets]).toEqual([q, [], [], [], []]);
      }
      const own = await (await codex.call("client", "GET", "/api/search?q=printer")).json();
      expect(own.tickets.map((t: { company: string }) => t.company)).toEqual(["ACME-001"]);
    });

    test("a client may reply on its company's tickets, sees no private notes, and nothing else", async () => {
      const reply = await codex.call("client", "POST", `/api/tickets/${ids.own.tickets}/replies`, {
        body: "Still jammed!",
      });
      expect(reply.status).toBe(201);
      expect(await reply.json()).toMatchObject({ kind: "reply", incoming: true });
      const ticket = await (await codex.call("client", "GET", `/api/tickets/${ids.own.tickets}`)).json();
      expect(ticket.status).toBe("customer_replied");
      expect(ticket.conversation.map((e: { body: string }) => e.body)).toEqual([
        "Have you tried turning it off?",
        "Still jammed!",
      ]);
      expect(ticket.time_entries).toBeUndefined();
      expect(
        (await codex.call("client", "POST", `/api/tickets/${ids.foreign.tickets}/replies`, { body: "Hi" })).status,
      ).toBe(404);
      expect((await codex.call("client", "POST", `/api/tickets/${ids.own.tickets}/notes`, { body: "Hi" })).status).toBe(
        403,
      );
      expect((await codex.call("client", "PUT", "/api/companies/ACME-001", { name: "Mine now" })).status).toBe(403);
    });

    test("a client sees no time logged on any route or page it may read", async () => {
      const logged = await codex.call("technician", "POST", `/api/tickets/${ids.own.tickets}/time-entries`, {
        minutes: 137,
        note: "Replaced the fuser",
      });
      expect(logged.status).toBe(201);
      const staff = await (await codex.call("technician", "GET", `/api/tickets/${ids.own.tickets}`)).json();
      expect(staff.total_minutes).toBeGreaterThanOrEqual(137);
      const hours = `${staff.hours} h`;
      const TIME = ['"total_minutes"', '"hours"', '"time_entries"', '"minutes"', "Time logged", hours, "fuser"];
      const shown: string[] = [];
      const look = async (what: string, res: Response) => {
        const text = await res.text();
        if (res.status !== 200) shown.push(`${what} → ${res.status}`);
        for (const word of TIME) if (text.includes(word)) shown.push(`${what} shows ${word}`);
      };
      // The OpenAPI document describes the fields; it holds no one's data.
      for (const def of routes.filter((d) => d.method === "get" && clientMay(d) && d.path !== "/api/openapi.json"))
        await look(
          def.path,
          await send("client", def, fill(def.path, def.method, ids.own) + (def.path.includes("search") ? "?q=e" : "")),
        );
      for (const path of [
        "/api/companies/bulk?include_tickets=true",
        "/api/companies/ACME-001/tickets",
        "/api/tickets?company=ACME-001",
        "/api/search?q=printer",
        `/tickets/${ids.own.tickets}`,
      ])
        await look(path, await codex.call("client", "GET", path, undefined, { accept: "text/html" }));
      expect(shown).toEqual([]);
    });

    test("a client whose company is unknown sees nothing", async () => {
      const token = await codex.token("client", { company: "ZZZ-999", user: "stranger" });
      const res = await codex.app.fetch(
        new Request("http://codex.test/api/companies", { headers: { authorization: `Bearer ${token}` } }),
      );
      expect((await res.json()).items).toEqual([]);
      const t = await codex.app.fetch(
        new Request(`http://codex.test/api/tickets/${ids.own.tickets}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
      expect(t.status).toBe(404);
    });
  });
}
