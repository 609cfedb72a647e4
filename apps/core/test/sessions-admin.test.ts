import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCore, type CoreUnderTest } from "./harness.ts";
import { createSession, findSession } from "../src/sessions/data.ts";
import { mintServiceToken, mintUserToken } from "../src/tokens/mint.ts";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { startFakeKeycloak, type FakeKeycloak } from "@hivematrix/lib/testing/fake-keycloak";

let core: CoreUnderTest;
let keycloak: FakeKeycloak;
const tokens: Partial<Record<PermissionLevel, string>> = {};
let victimId: string;

/** The person at the identity provider (their id is the session's `sub`, as Keycloak's is). */
function idpUser(username: string) {
  const users = keycloak.realms.get("hivematrix")!.users;
  const id = crypto.randomUUID();
  users.set(id, { id, username, enabled: true, groupIds: new Set(), logouts: 0 });
  return users.get(id)!;
}

async function login(level: PermissionLevel, username: string, source: "login" | "cli" = "login") {
  const s = await createSession(core.deps.db, {
    sub: idpUser(username).id,
    username,
    name: username.toUpperCase(),
    email: `${username}@x`,
    permissionLevel: level,
    groups: [],
    company: level === "client" ? "ACME-001" : null,
    source,
    ttlMs: 600_000,
    ip: "198.51.100.7",
    userAgent: "Firefox/140",
  });
  return { session: s, token: await mintUserToken(core.deps.keys, s) };
}

beforeAll(async () => {
  keycloak = startFakeKeycloak({ realms: { hivematrix: {} } });
  core = await startCore({
    services: { helm: { port: 1 } },
    env: { KEYCLOAK_URL: keycloak.url, KEYCLOAK_ADMIN_PASSWORD: keycloak.admin.password },
  });
  tokens.admin = (await login("admin", "admin")).token;
  tokens.technician = (await login("technician", "tech")).token;
  victimId = (await login("client", "victim")).session.id;
});
afterAll(async () => {
  await core.stop();
  keycloak.stop();
});

const logoutsOf = (sub: string) => keycloak.realms.get("hivematrix")!.users.get(sub)!.logouts;

const get = (path: string, token?: string) =>
  fetch(core.url + path, { headers: { accept: "text/html", ...(token ? { authorization: `Bearer ${token}` } : {}) } });

describe("the sessions page", () => {
  test("lists active sessions with user, level, ip, user agent and last seen for an admin", async () => {
    const res = await get("/sessions", tokens.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toStartWith("<!DOCTYPE html>");
    expect(html).toContain("VICTIM (victim)");
    expect(html).toContain("198.51.100.7");
    expect(html).toContain("Firefox/140");
    expect(html).toContain('badge--danger">admin');
    expect(html).toMatch(/s ago/);
  });

  test("uses Nexus's prefix in its links", async () => {
    const html = await (
      await fetch(`${core.url}/sessions`, {
        headers: { authorization: `Bearer ${tokens.admin}`, "x-forwarded-prefix": "/core" },
      })
    ).text();
    expect(html).toContain(`action="/core/sessions/${victimId}/revoke"`);
  });

  test("is refused to a technician, to a service token and to nobody", async () => {
    expect((await get("/sessions", tokens.technician)).status).toBe(403);
    expect((await get("/sessions", await mintServiceToken(core.deps.keys, "helm", "core"))).status).toBe(403);
    const anonymous = await get("/sessions");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain("<!DOCTYPE html>");
  });

  test("revoke needs the CSRF token, then revokes", async () => {
    const form = (token: string) =>
      fetch(`${core.url}/sessions/${victimId}/revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(token ? { _csrf: token } : {}),
        redirect: "manual",
      });
    expect((await form("")).status).toBe(403);
    expect((await form("forged")).status).toBe(403);
    expect((await findSession(core.deps.db, victimId))!.revokedAt).toBeNull();
    const html = await (await get("/sessions", tokens.admin)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const victim = (await findSession(core.deps.db, victimId))!;
    expect(logoutsOf(victim.sub)).toBe(0);
    const res = await form(csrf);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sessions?revoked=victim");
    expect((await findSession(core.deps.db, victimId))!.revokedAt).toBeInstanceOf(Date);
    // Their browser's sign-in at the identity provider ends too: the next visit asks for the password.
    expect(keycloak.writes().map((w) => `${w.method} ${w.path}`)).toContain(
      `POST /realms/hivematrix/users/${victim.sub}/logout`,
    );
    expect(logoutsOf(victim.sub)).toBe(1);
    const after = await (
      await fetch(core.url + res.headers.get("location"), { headers: { authorization: `Bearer ${tokens.admin}` } })
    ).text();
    expect(after).toContain("Revoked a session of victim.");
    expect(after).not.toContain("VICTIM (victim)");
  });
});

describe("the sessions API", () => {
  test("lists and revokes for an admin; refuses a technician", async () => {
    const target = await login("technician", "someone");
    const list = await fetch(`${core.url}/api/sessions`, { headers: { authorization: `Bearer ${tokens.admin}` } });
    const { sessions } = (await list.json()) as { sessions: { id: string }[] };
    expect(sessions.map((s) => s.id)).toContain(target.session.id);
    expect(
      (await fetch(`${core.url}/api/sessions`, { headers: { authorization: `Bearer ${tokens.technician}` } })).status,
    ).toBe(403);
    const del = await fetch(`${core.url}/api/sessions/${target.session.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({
      message: "Session revoked. Their sign-in at the identity provider was ended too.",
      idp_logout: "ended",
    });
    expect(logoutsOf(target.session.sub)).toBe(1);
    const validated = await fetch(`${core.url}/api/token/validate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: target.token }),
    });
    expect(await validated.json()).toEqual({ valid: false, error: "session_revoked" });
    const again = await fetch(`${core.url}/api/sessions/nonexistent-session-id`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(again.status).toBe(404);
  });
});

describe("ending the person's sign-in at the identity provider", () => {
  const revoke = (id: string) =>
    fetch(`${core.url}/api/sessions/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${tokens.admin}` } });

  test("a CLI token has no sign-in there: nothing is asked of the identity provider", async () => {
    const cli = await login("technician", "script", "cli");
    const before = keycloak.writes().length;
    expect(await (await revoke(cli.session.id)).json()).toEqual({
      message: "Session revoked.",
      idp_logout: "not_applicable",
    });
    expect(keycloak.writes().length).toBe(before);
  });

  test("when the identity provider refuses, the session is still revoked and the admin is told", async () => {
    const target = await login("billing", "bill");
    keycloak.failures.push({ match: /\/logout$/, status: 503 });
    try {
      const res = await revoke(target.session.id);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { message: string; idp_logout: string };
      expect(body.idp_logout).toBe("failed");
      expect(body.message).toContain("could not be ended");
      expect((await findSession(core.deps.db, target.session.id))!.revokedAt).toBeInstanceOf(Date);
      expect(core.logs.some((l) => l.includes("could not end the user's sessions at the identity provider"))).toBe(
        true,
      );

      const other = await login("billing", "bea");
      const page = await (await get("/sessions", tokens.admin)).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
      const posted = await fetch(`${core.url}/sessions/${other.session.id}/revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf }),
        redirect: "manual",
      });
      expect(posted.headers.get("location")).toBe("/sessions?revoked=bea&idp=failed");
      const after = await (await get(posted.headers.get("location")!, tokens.admin)).text();
      expect(after).toContain("alert--warning");
      expect(after).toContain("could not be ended");
    } finally {
      keycloak.failures.length = 0;
    }
  });
});
