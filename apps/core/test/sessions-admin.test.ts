import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCore, type CoreUnderTest } from "./harness.ts";
import { createSession, findSession } from "../src/sessions.ts";
import { mintServiceToken, mintUserToken } from "../src/tokens.ts";
import type { PermissionLevel } from "@hivematrix/lib/config";

let core: CoreUnderTest;
const tokens: Partial<Record<PermissionLevel, string>> = {};
let victimId: string;

async function login(level: PermissionLevel, username: string) {
  const s = await createSession(core.deps.db, {
    sub: `sub-${username}`,
    username,
    name: username.toUpperCase(),
    email: `${username}@x`,
    permissionLevel: level,
    groups: [],
    company: level === "client" ? "ACME-001" : null,
    source: "login",
    ttlMs: 600_000,
    ip: "198.51.100.7",
    userAgent: "Firefox/140",
  });
  return { session: s, token: await mintUserToken(core.deps.keys, s) };
}

beforeAll(async () => {
  core = await startCore({ services: { helm: { port: 1 } } });
  tokens.admin = (await login("admin", "admin")).token;
  tokens.technician = (await login("technician", "tech")).token;
  victimId = (await login("client", "victim")).session.id;
});
afterAll(() => core.stop());

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
    const res = await form(csrf);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/sessions?revoked=victim");
    expect((await findSession(core.deps.db, victimId))!.revokedAt).toBeInstanceOf(Date);
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
