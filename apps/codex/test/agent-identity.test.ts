import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { BulkRejected } from "../src/shared/data-bulk.ts";
import { upsertAgents } from "../src/agents/data.ts";
import { ENGINES, startCodex, type CodexUnderTest, type TokenOptions } from "./harness.ts";

/**
 * An agent is one person however they arrive (the demo data, the IdP sync, their own "My
 * settings", an admin): matched by IdP user id, then username, then email. An agent without an
 * IdP identity adopts the one that matches it; a match that belongs to someone else is a 409
 * (or a row error in a sync) that says why, never a 500 from a unique index.
 */
const DEMO_STAFF = [
  { username: "admin", name: "Alex Admin", email: "admin@msp.example" },
  { username: "tech", name: "Terry Tech", email: "tech@msp.example" },
  { username: "billing", name: "Bea Billing", email: "billing@msp.example" },
];
/** The dev IdP's people: the same usernames, other emails. */
const IDP = {
  admin: { level: "admin", user: "admin", sub: "kc-admin", email: "admin@hivematrix.local" },
  tech: { level: "technician", user: "tech", sub: "kc-tech", email: "tech@hivematrix.local" },
  billing: { level: "billing", user: "billing", sub: "kc-billing", email: "billing@hivematrix.local" },
} as const satisfies Record<string, TokenOptions & { level: PermissionLevel }>;

for (const engine of ENGINES) {
  describe(`agent identity (${engine})`, () => {
    let codex: CodexUnderTest | null = null;
    beforeEach(async () => {
      await codex?.stop();
      codex = await startCodex(engine);
      await upsertAgents(codex.deps.db, DEMO_STAFF, { name: "seed" });
    });
    afterAll(() => codex?.stop());

    const h = () => codex!.deps.db;
    const agents = async () => (await h().db.select().from(h().t.agents)).sort((a, b) => a.id - b.id);
    const as = async (who: keyof typeof IDP, method: string, path: string, body?: unknown, accept = "json") => {
      const { level, ...o } = IDP[who];
      const headers: Record<string, string> = {
        authorization: `Bearer ${await codex!.token(level, o)}`,
        accept: accept === "html" ? "text/html" : "application/json",
      };
      let payload: string | undefined;
      if (typeof body === "string") {
        payload = body;
        headers["content-type"] = "application/x-www-form-urlencoded";
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        headers["content-type"] = "application/json";
      }
      return codex!.app.fetch(new Request(`http://codex.test${path}`, { method, headers, body: payload }));
    };
    const form = async (who: keyof typeof IDP, fields: Record<string, string>) => {
      const { level, ...o } = IDP[who];
      const jwt = await codex!.token(level, o);
      const jti = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")).jti as string;
      const csrf = codex!.deps.csrf.token({ get: () => ({ jti }) } as never);
      return as(who, "POST", "/settings", new URLSearchParams({ ...fields, _csrf: csrf }).toString(), "html");
    };

    test("my settings, API and page: the demo's agent of the same username adopts the IdP identity", async () => {
      const before = await agents();
      const res = await as("admin", "PUT", "/api/my/settings", { theme: "dark", home_page: "codex" });
      expect([res.status, await res.json()]).toEqual([
        200,
        { theme: "dark", home_page: "codex", email_notifications: true },
      ]);
      expect((await form("tech", { theme: "light", home_page: "nexus" })).status).toBe(303);
      expect((await as("billing", "PUT", "/api/my/settings", { theme: "dark" })).status).toBe(200);
      const after = await agents();
      expect(after.map((a) => a.id)).toEqual(before.map((a) => a.id));
      expect(after.map((a) => [a.username, a.idpUserId, a.email, a.theme])).toEqual([
        ["admin", "kc-admin", "admin@hivematrix.local", "dark"],
        ["tech", "kc-tech", "tech@hivematrix.local", "light"],
        ["billing", "kc-billing", "billing@hivematrix.local", "dark"],
      ]);
      expect(await (await as("admin", "GET", "/api/my/settings")).json()).toEqual({
        theme: "dark",
        home_page: "codex",
        email_notifications: true,
      });
    });

    test("my settings, when the username belongs to another IdP user: 409 with the reason, page and API", async () => {
      await upsertAgents(
        h(),
        [{ username: "billing", idp_user_id: "kc-someone-else", email: "billing@msp.example", name: "Bea Billing" }],
        {
          name: "admin",
        },
      );
      const res = await as("billing", "PUT", "/api/my/settings", { theme: "dark" });
      expect(res.status).toBe(409);
      expect((await res.json()).error.message).toContain("billing");
      const page = await form("billing", { theme: "dark", home_page: "nexus" });
      expect(page.status).toBe(409);
      const html = await page.text();
      expect(html).toContain("My settings");
      expect(html).toContain("another sign-in");
      expect((await agents()).find((a) => a.username === "billing")!.theme).toBe("system");
    });

    test("an admin's create or rename onto someone's username or email is a 409, not a 500", async () => {
      const admin = (m: string, p: string, b?: unknown) => codex!.call("admin", m, p, b);
      const dup = await admin("POST", "/api/agents", { username: "tech", email: "other@msp.example", name: "Dup" });
      expect(dup.status).toBe(409);
      expect((await dup.json()).error.message).toContain("tech");
      const [, tech] = await agents();
      const rename = await admin("PUT", `/api/agents/${tech!.id}`, { username: "admin" });
      expect(rename.status).toBe(409);
      const email = await admin("PUT", `/api/agents/${tech!.id}`, { email: "billing@msp.example" });
      expect(email.status).toBe(409);
      expect((await agents()).map((a) => a.username)).toEqual(["admin", "tech", "billing"]);
    });

    test("a sync batch: matched by IdP id, then username, then email; a clash is that row's error", async () => {
      const result = await upsertAgents(
        h(),
        [
          { idp_user_id: "kc-admin", username: "admin", email: "admin@hivematrix.local", name: "Ada Admin" },
          { idp_user_id: "kc-jo", username: "jo", email: "tech@msp.example", name: "Jo by email" },
        ],
        { name: "sync:keycloak" },
      );
      expect(result).toMatchObject({ created: 0, updated: 2 });
      expect((await agents()).map((a) => [a.username, a.idpUserId])).toEqual([
        ["admin", "kc-admin"],
        ["jo", "kc-jo"],
        ["billing", null],
      ]);
      const clash = upsertAgents(
        h(),
        [
          { idp_user_id: "kc-new1", username: "new", email: "new1@msp.example", name: "New One" },
          { idp_user_id: "kc-new2", username: "new", email: "new2@msp.example", name: "New Two" },
          { idp_user_id: "kc-other", username: "admin", email: "x@msp.example", name: "Not Ada" },
        ],
        { name: "sync:keycloak" },
      );
      const rejected = await clash.catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(BulkRejected);
      const errors = (rejected as BulkRejected).result.results.map((r) => r.errors?.[0]?.message ?? null);
      expect(errors[0]).toBeNull();
      expect(errors[1]).toContain("new");
      expect(errors[2]).toContain("admin");
      expect(await agents()).toHaveLength(3);
    });
  });
}
