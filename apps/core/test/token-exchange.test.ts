import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { startCore, postJson, type CoreUnderTest } from "./harness.ts";
import { findSession } from "../src/sessions/data.ts";

/**
 * Core's exchange, from the rule: the identity provider's userinfo (asked with the access token)
 * decides who signs in; the HiveMatrix JWT and its session carry that person's level and, for a
 * client only, their company; a client without a company cannot sign in at all.
 */
const USERS: Record<string, Record<string, unknown>> = {
  "at-client": {
    sub: "c-1",
    preferred_username: "cody",
    given_name: "Cody",
    family_name: "Client",
    email: "cody@acme.example",
    groups: ["/client"],
    company: "ACME-001",
  },
  "at-client-no-company": { sub: "c-2", preferred_username: "nomad", groups: ["client"] },
  "at-no-groups-no-company": { sub: "c-3", preferred_username: "stranger" },
  "at-client-empty-company": { sub: "c-4", preferred_username: "blank", groups: ["client"], company: "" },
  "at-admin": {
    sub: "a-1",
    preferred_username: "ada",
    name: "Ada A.",
    given_name: "Ada",
    family_name: "Admin",
    email: "ada@msp.example",
    groups: ["/admins", "/billing"],
    company: "ACME-001",
  },
  "at-tech": { sub: "t-1", preferred_username: "toby", family_name: "Tech", groups: ["technicians"] },
  "at-billing": { sub: "b-1", preferred_username: "bea", groups: ["//billing", "msp/tier2"] },
  "at-groupless-client": { sub: "c-5", preferred_username: "gus", company: "BETA-002" },
  "at-no-sub": { preferred_username: "ghost" },
};

let idp: ReturnType<typeof Bun.serve>;
const asked: string[] = [];

beforeAll(() => {
  idp = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const { pathname } = new URL(req.url);
      if (pathname !== "/realms/hivematrix/protocol/openid-connect/userinfo")
        return new Response(null, { status: 404 });
      const token = (req.headers.get("authorization") ?? "").replace(/^Bearer /, "");
      asked.push(token);
      if (req.headers.get("accept") !== "application/json") return new Response("JSON only", { status: 406 });
      if (token === "at-forbidden") return new Response(null, { status: 403 });
      if (token === "at-broken") return new Response("oops", { status: 500 });
      if (token === "at-not-json") return new Response("<html>");
      const user = USERS[token];
      return user ? Response.json(user) : new Response(null, { status: 401 });
    },
  });
});
afterAll(() => idp.stop(true));

const engines: { name: string; env: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> }[] = [
  { name: "SQLite", env: async () => ({ env: {}, cleanup: async () => {} }) },
];
if (postgresTestUrl()) {
  engines.push({
    name: "Postgres",
    env: async () => {
      const db = await withPostgres("hm_core");
      return { env: { CORE_DATABASE_URL: db.url }, cleanup: db.drop };
    },
  });
}

for (const engine of engines) {
  describe(`POST /api/token/exchange on ${engine.name}`, () => {
    let core: CoreUnderTest;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const db = await engine.env();
      cleanup = db.cleanup;
      core = await startCore({ env: { ...db.env, KEYCLOAK_URL: `http://127.0.0.1:${idp.port}` } });
    });
    afterAll(async () => {
      await core.stop();
      await cleanup();
    });

    const exchange = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      postJson(`${core.url}/api/token/exchange`, body, headers);
    const sessionCount = async () => (await core.deps.db.db.select().from(core.deps.db.t.sessions)).length;
    const errorOf = async (res: Response) => {
      const { code, message } = ((await res.json()) as { error: { code: string; message: string } }).error;
      return { code, message };
    };

    test("a client with a company: a token for their company, backed by a session", async () => {
      asked.length = 0;
      const res = await exchange({ access_token: "at-client", client_ip: "203.0.113.9", user_agent: "test-browser" });
      expect(res.status).toBe(200);
      const { token, expires_at } = (await res.json()) as { token: string; expires_at: string };
      expect(asked).toEqual(["at-client"]);
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        iss: "hivematrix.core",
        type: "user",
        sub: "c-1",
        preferred_username: "cody",
        name: "Cody Client",
        email: "cody@acme.example",
        permission_level: "client",
        groups: ["client"],
        company: "ACME-001",
      });
      expect(claims.aud).toBeUndefined();
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(Math.floor(new Date(expires_at).getTime() / 1000)).toBe(claims.exp!);
      const session = await findSession(core.deps.db, claims.jti!);
      expect(session).toMatchObject({
        sub: "c-1",
        username: "cody",
        permissionLevel: "client",
        company: "ACME-001",
        source: "login",
        ip: "203.0.113.9",
        userAgent: "test-browser",
      });
    });

    test("a client without a company attribute cannot sign in, and no session is made", async () => {
      const before = await sessionCount();
      for (const accessToken of ["at-client-no-company", "at-no-groups-no-company"]) {
        const res = await exchange({ access_token: accessToken });
        expect([accessToken, res.status]).toEqual([accessToken, 403]);
        expect(await errorOf(res)).toEqual({
          code: "forbidden",
          message:
            "This account is not linked to a company (no `company` attribute), so it cannot sign in as a client.",
        });
      }
      // An empty attribute is no company either: the identity provider's answer is refused as malformed.
      expect((await exchange({ access_token: "at-client-empty-company" })).status).toBe(502);
      expect(await sessionCount()).toBe(before);
    });

    test("staff are never scoped to a company, even with the attribute; the highest group wins", async () => {
      const res = await exchange({ access_token: "at-admin" });
      const claims = decodeJwt(((await res.json()) as { token: string }).token);
      expect(claims).toMatchObject({
        permission_level: "admin",
        name: "Ada A.",
        groups: ["admins", "billing"],
        email: "ada@msp.example",
      });
      expect("company" in claims).toBe(false);
      expect((await findSession(core.deps.db, claims.jti!))?.company).toBeNull();
      const billing = decodeJwt(
        ((await (await exchange({ access_token: "at-billing" })).json()) as { token: string }).token,
      );
      // Leading slashes of group paths go; a group's own path stays as it is.
      expect(billing).toMatchObject({
        permission_level: "billing",
        name: "bea",
        email: "",
        groups: ["billing", "msp/tier2"],
      });
      const groupless = await exchange({ access_token: "at-groupless-client" });
      expect(decodeJwt(((await groupless.json()) as { token: string }).token)).toMatchObject({
        permission_level: "client",
        groups: [],
        company: "BETA-002",
      });
    });

    test("a name from given and family names, else the username; the address from X-Forwarded-For", async () => {
      const res = await exchange(
        { access_token: "at-tech" },
        { "x-forwarded-for": " 198.51.100.7 , 10.0.0.1", "user-agent": "curl/8" },
      );
      const claims = decodeJwt(((await res.json()) as { token: string }).token);
      expect(claims).toMatchObject({ permission_level: "technician", name: "Tech", email: "" });
      expect(await findSession(core.deps.db, claims.jti!)).toMatchObject({ ip: "198.51.100.7", userAgent: "curl/8" });
    });

    test("the log says who signed in at which level, naming the session by 8 characters of its id", async () => {
      const res = await exchange({ access_token: "at-tech" });
      const { jti } = decodeJwt(((await res.json()) as { token: string }).token);
      const line = core.logs
        .map((l) => JSON.parse(l))
        .find((l) => l.message === "session created" && l.session === jti!.slice(0, 8));
      expect(line).toMatchObject({ user: "toby", permission_level: "technician" });
      expect(core.logs.some((l) => l.includes(jti!))).toBe(false);
    });

    test("the identity provider's refusals and failures", async () => {
      for (const [accessToken, status, code, message] of [
        ["at-unknown", 401, "invalid_access_token", "The identity provider did not accept this access token."],
        ["at-forbidden", 401, "invalid_access_token", "The identity provider did not accept this access token."],
        ["at-broken", 502, "idp_error", "The identity provider answered 500."],
        ["at-not-json", 502, "idp_error", "The identity provider's userinfo lacks sub or preferred_username."],
        ["at-no-sub", 502, "idp_error", "The identity provider's userinfo lacks sub or preferred_username."],
      ] as const) {
        const res = await exchange({ access_token: accessToken });
        expect([accessToken, res.status, await errorOf(res)]).toEqual([accessToken, status, { code, message }]);
      }
    });
  });
}

test("the identity provider unreachable is a 503", async () => {
  const core = await startCore({ env: { KEYCLOAK_URL: "http://127.0.0.1:1" } });
  try {
    const res = await postJson(`${core.url}/api/token/exchange`, { access_token: "at-client" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: "idp_unavailable",
      message: "The identity provider cannot be reached.",
    });
  } finally {
    await core.stop();
  }
});
