import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, statSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { createKeycloakAdmin, type KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { CookieJar, follow, postgresTestUrl, submitLogin, tempHome, withPostgres } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { keycloakAdminContract } from "@hivematrix/lib/testing/keycloak-admin-contract";
import { PUBLIC_ORIGIN, REDIRECT, startIdp, type TestIdp } from "./start.ts";

const start = (home: string, port?: number, host?: string) => startIdp(home, { port, host });

// The same suite lib's fake Keycloak passes (lib/test/keycloak-admin.test.ts), on each engine.
for (const engine of postgresTestUrl() ? ["SQLite", "PostgreSQL"] : ["SQLite"]) {
  keycloakAdminContract(`the dev IdP on ${engine}`, async () => {
    const home = tempHome();
    const pg = engine === "PostgreSQL" ? await withPostgres("hm_devidp") : null;
    const idp = await startIdp(home, pg ? { env: { DEV_IDP_DATABASE_URL: pg.url } } : {});
    return {
      url: idp.url,
      username: idp.admin.username,
      password: idp.admin.password,
      realm: "hivematrix",
      stop: async () => {
        await idp.close();
        await pg?.drop();
        rmSync(home, { recursive: true, force: true });
      },
    };
  });
}

let home: string;
let idp: TestIdp;
let kc: KeycloakAdmin;

beforeAll(async () => {
  home = tempHome();
  idp = await start(home);
  kc = createKeycloakAdmin({ url: idp.url, ...idp.admin });
});
afterAll(async () => {
  await idp.close();
  rmSync(home, { recursive: true, force: true });
});

const client = () => new KeyCloak(idp.issuer, idp.clientId, idp.clientSecret, REDIRECT);

/** Starts a sign-in and submits the login form; returns the jar, the verifier and the IdP's answer. */
async function login(username: string, password: string) {
  const jar = new CookieJar();
  const verifier = generateCodeVerifier();
  const { url, res } = await follow(
    jar,
    client().createAuthorizationURL(generateState(), verifier, ["openid", "profile", "email"]).toString(),
  );
  const answer = await submitLogin(jar, url, await res.text(), username, password);
  return { jar, verifier, url, answer };
}

/** Follows the IdP's redirect back to the client and redeems the code. */
async function finish(jar: CookieJar, from: string, location: string, verifier: string) {
  const back = await follow(jar, new URL(location, from).toString(), {}, PUBLIC_ORIGIN);
  const code = new URL(back.url).searchParams.get("code");
  if (!code) throw new Error(`no code: ${back.url}`);
  return client().validateAuthorizationCode(code, verifier);
}

const userinfo = (accessToken: string) =>
  fetch(`${idp.issuer}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

describe("the master realm's admin", () => {
  test("signs in with the generated secret in secrets/keycloak-admin.secret, never admin/admin", async () => {
    const path = join(home, "secrets", "keycloak-admin.secret");
    expect(readFileSync(path, "utf8").trim()).toBe(idp.admin.password);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(idp.admin.password.length).toBeGreaterThanOrEqual(32);
    const res = await fetch(`${idp.url}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "admin-cli",
        username: "admin",
        password: "admin",
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_grant", error_description: "Invalid user credentials" });
  });

  test("a realm user's own access token is refused by the admin API with 403", async () => {
    const { jar, verifier, url, answer } = await login("admin", "admin");
    const tokens = await finish(jar, url, answer.headers.get("location")!, verifier);
    const res = await fetch(`${idp.url}/admin/realms/hivematrix/users`, {
      headers: { authorization: `Bearer ${tokens.accessToken()}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "HTTP 403 Forbidden" });
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  test.skipIf(!external)("the admin API answers only connections from this machine's loopback", async () => {
    const otherHome = tempHome();
    const wide = await start(otherHome, undefined, "0.0.0.0");
    try {
      const port = new URL(wide.url).port;
      expect((await fetch(`http://${external}:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://${external}:${port}/admin/realms/hivematrix/users`)).status).toBe(404);
      expect((await fetch(`http://${external}:${port}/api/openapi.json`)).status).toBe(404);
      const token = await fetch(`http://${external}:${port}/realms/master/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", ...wide.admin }),
      });
      expect(token.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/admin/realms/hivematrix/users`)).status).toBe(401);
    } finally {
      await wide.close();
      rmSync(otherHome, { recursive: true, force: true });
    }
  });
});

describe("users in the dev IdP's database", () => {
  test("the four dev users are seeded with their groups, and the client user's company", async () => {
    for (const [username, group] of [
      ["admin", "admins"],
      ["tech", "technicians"],
      ["billing", "billing"],
      ["client", "client"],
    ]) {
      const user = (await kc.findUser("hivematrix", username!))!;
      expect(user.enabled).toBe(true);
      expect((await kc.userGroups("hivematrix", user.id!)).map((g) => g.name)).toEqual([group!]);
    }
    expect((await kc.findUser("hivematrix", "client"))!.attributes).toEqual({ company: ["ACME-001"] });
  });

  test("a user created through the admin API signs in, with groups and company in userinfo", async () => {
    await kc.createUser("hivematrix", {
      username: "nora",
      enabled: true,
      firstName: "Nora",
      lastName: "North",
      email: "nora@acme.example",
      attributes: { company: ["ACME-001"] },
      groups: ["client"],
      credentials: [{ type: "password", value: "nora-is-a-client", temporary: false }],
    });
    const { jar, verifier, url, answer } = await login("nora", "nora-is-a-client");
    expect(answer.status).toBe(303);
    const tokens = await finish(jar, url, answer.headers.get("location")!, verifier);
    expect(await (await userinfo(tokens.accessToken())).json()).toMatchObject({
      preferred_username: "nora",
      name: "Nora North",
      email: "nora@acme.example",
      groups: ["client"],
      company: "ACME-001",
    });
    // The email works as the login name too, as with Keycloak's loginWithEmailAllowed.
    expect((await login("NORA@acme.example", "nora-is-a-client")).answer.status).toBe(303);
  });

  test("a disabled user cannot sign in, and their live tokens stop working at once", async () => {
    const id = await kc.createUser("hivematrix", {
      username: "dan",
      enabled: true,
      groups: ["technicians"],
      credentials: [{ type: "password", value: "dan-the-tech", temporary: false }],
    });
    const first = await login("dan", "dan-the-tech");
    const tokens = await finish(first.jar, first.url, first.answer.headers.get("location")!, first.verifier);
    expect((await userinfo(tokens.accessToken())).status).toBe(200);
    await kc.editUser("hivematrix", id, { enabled: false });
    expect((await userinfo(tokens.accessToken())).status).toBe(401);
    // Their SSO session is gone too: the same browser is asked for a password, not given a code.
    const sso = await follow(
      first.jar,
      client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
      {},
      PUBLIC_ORIGIN,
    );
    expect(sso.res.status).toBe(200);
    expect(sso.url).toContain("/login-actions/authenticate/");
    const refused = await login("dan", "dan-the-tech");
    expect(refused.answer.status).toBe(401);
    expect(await refused.answer.text()).toContain("Account is disabled, contact your administrator.");
    // A wrong password does not reveal that the account exists and is disabled.
    expect(await (await login("dan", "wrong")).answer.text()).toContain("Invalid username or password.");
  });

  const endSessions =
    "ending a user's sessions makes the same browser sign in with the password again; the account stays usable";
  test(endSessions, async () => {
    const id = await kc.createUser("hivematrix", {
      username: "lou",
      enabled: true,
      groups: ["technicians"],
      credentials: [{ type: "password", value: "lou-the-tech", temporary: false }],
    });
    const first = await login("lou", "lou-the-tech");
    const tokens = await finish(first.jar, first.url, first.answer.headers.get("location")!, first.verifier);
    const again = () =>
      follow(
        first.jar,
        client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
        {},
        PUBLIC_ORIGIN,
      );
    // While the SSO session lives, the browser gets a code without a password.
    expect(new URL((await again()).url).searchParams.get("code")).toBeString();
    await kc.logoutUser("hivematrix", id);
    expect((await userinfo(tokens.accessToken())).status).toBe(401);
    const sso = await again();
    expect(sso.res.status).toBe(200);
    expect(sso.url).toContain("/login-actions/authenticate/");
    expect((await login("lou", "lou-the-tech")).answer.status).toBe(303);
  });

  const temporary =
    "a temporary password must be changed in the sign-in flow (no JavaScript needed) before it completes";
  test(temporary, async () => {
    const id = await kc.createUser("hivematrix", {
      username: "tess",
      enabled: true,
      groups: ["technicians"],
      credentials: [{ type: "password", value: "Temp-0rary-1", temporary: true }],
    });
    const { jar, verifier, url, answer } = await login("tess", "Temp-0rary-1");
    expect(answer.status).toBe(303);
    const formUrl = new URL(answer.headers.get("location")!, url).toString();
    expect(formUrl).toMatch(/\/realms\/hivematrix\/login-actions\/authenticate\/[\w-]+\/update-password$/);
    const page = await jar.fetch(formUrl);
    const html = await page.text();
    expect(html).toContain('name="password-new"');
    expect(html).toContain('name="password-confirm"');
    expect(html).not.toContain("<script");
    assertClassesDefined(html);
    const submit = (fields: Record<string, string>) =>
      jar.fetch(formUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });

    const mismatch = await submit({ "password-new": "Tess-own-password", "password-confirm": "something else" });
    expect(mismatch.status).toBe(400);
    const mismatchHtml = await mismatch.text();
    expect(mismatchHtml).toMatch(/id="field-password-confirm-error"[^>]*>The passwords do not match\./);
    assertClassesDefined(mismatchHtml);
    const same = await submit({ "password-new": "Temp-0rary-1", "password-confirm": "Temp-0rary-1" });
    expect(await same.text()).toContain("Choose a password different from the temporary one.");
    expect((await kc.getUser("hivematrix", id)).requiredActions).toEqual(["UPDATE_PASSWORD"]);

    const done = await submit({ "password-new": "Tess-own-password", "password-confirm": "Tess-own-password" });
    expect(done.status).toBe(303);
    const tokens = await finish(jar, formUrl, done.headers.get("location")!, verifier);
    expect(await (await userinfo(tokens.accessToken())).json()).toMatchObject({
      preferred_username: "tess",
      groups: ["technicians"],
    });
    expect((await kc.getUser("hivematrix", id)).requiredActions).toEqual([]);
    expect((await login("tess", "Temp-0rary-1")).answer.status).toBe(401);
    expect((await login("tess", "Tess-own-password")).answer.headers.get("location")).not.toContain("update-password");
  });

  test("the password-change step belongs to the browser that signed in", async () => {
    await kc.createUser("hivematrix", {
      username: "otto",
      enabled: true,
      credentials: [{ type: "password", value: "Otto-temp-123", temporary: true }],
    });
    const { answer, url } = await login("otto", "Otto-temp-123");
    const formUrl = new URL(answer.headers.get("location")!, url).toString();
    const stranger = await fetch(formUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ "password-new": "Hijacked-pass", "password-confirm": "Hijacked-pass" }),
    });
    expect(stranger.status).toBe(400);
    expect((await login("otto", "Hijacked-pass")).answer.status).toBe(401);
  });

  test("users and changes survive a restart; deleted seed users are not seeded again", async () => {
    const tech = (await kc.findUser("hivematrix", "tech"))!;
    await kc.deleteUser("hivematrix", tech.id!);
    await idp.close();
    idp = await start(home, Number(new URL(idp.url).port));
    kc = createKeycloakAdmin({ url: idp.url, ...idp.admin });
    expect(await kc.findUser("hivematrix", "tech")).toBeNull();
    expect((await kc.findUser("hivematrix", "nora"))!.attributes).toEqual({ company: ["ACME-001"] });
    expect((await login("tess", "Tess-own-password")).answer.status).toBe(303);
  });
});
