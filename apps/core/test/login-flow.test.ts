import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { readSecret } from "@hivematrix/lib/secrets";
import { CookieJar, follow, freePort, startPlatform, submitLogin, type TestPlatform } from "@hivematrix/lib/testing";

let platform: TestPlatform;
let redirectUri: string;
let realm: string;

beforeAll(async () => {
  const callbackOrigin = `http://127.0.0.1:${await freePort()}`;
  redirectUri = `${callbackOrigin}/keycloak-callback`;
  platform = await startPlatform({ idp: true, env: { NEXUS_PUBLIC_URL: callbackOrigin } });
  realm = `${platform.idpUrl}/realms/hivematrix`;
});
afterAll(() => platform.stop());

/** The authorization-code flow with PKCE, as Nexus runs it, ending with Core's exchange. */
async function signIn(username: string, password: string) {
  const client = new KeyCloak(realm, "core-client", readSecret(platform.home, "core-client"), redirectUri);
  const state = generateState();
  const verifier = generateCodeVerifier();
  const jar = new CookieJar();
  const login = await follow(
    jar,
    client.createAuthorizationURL(state, verifier, ["openid", "profile", "email"]).toString(),
  );
  expect(login.res.status).toBe(200);
  const html = await login.res.text();
  const submitted = await submitLogin(jar, login.url, html, username, password);
  if (submitted.status !== 303) return { refused: submitted };
  const back = await follow(
    jar,
    new URL(submitted.headers.get("location")!, login.url).toString(),
    {},
    new URL(redirectUri).origin,
  );
  const callback = new URL(back.url);
  expect(callback.searchParams.get("state")).toBe(state);
  const tokens = await client.validateAuthorizationCode(callback.searchParams.get("code")!, verifier);
  const res = await fetch(`${platform.coreUrl}/api/token/exchange`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ access_token: tokens.accessToken(), client_ip: "203.0.113.9", user_agent: "test-browser" }),
  });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  return { token, idToken: decodeJwt(tokens.idToken()) };
}

const cases = [
  { username: "admin", name: "Ada Admin", email: "admin@hivematrix.local", groups: ["admins"], level: "admin" },
  {
    username: "tech",
    name: "Toby Technician",
    email: "tech@hivematrix.local",
    groups: ["technicians"],
    level: "technician",
  },
  {
    username: "billing",
    name: "Bea Billing",
    email: "billing@hivematrix.local",
    groups: ["billing"],
    level: "billing",
  },
  {
    username: "client",
    name: "Cody Client",
    email: "client@acme.example",
    groups: ["client"],
    level: "client",
    company: "ACME-001",
  },
];

describe("sign-in through the dev IdP and Core's exchange", () => {
  for (const c of cases) {
    test(`${c.username}: the HiveMatrix JWT carries name, email, groups, level${c.company ? " and company" : ""}`, async () => {
      const result = await signIn(c.username, c.username);
      expect(result.token).toBeString();
      const claims = decodeJwt(result.token!);
      expect(claims).toMatchObject({
        iss: "hivematrix.core",
        type: "user",
        name: c.name,
        email: c.email,
        preferred_username: c.username,
        groups: c.groups,
        permission_level: c.level,
      });
      expect(claims.company).toBe(c.company);
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(result.idToken!.groups).toEqual(c.groups);
      const validated = await fetch(`${platform.coreUrl}/api/token/validate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: result.token }),
      });
      expect(await validated.json()).toMatchObject({ valid: true });
    });
  }

  test("the session row records the browser's address and user agent", async () => {
    const { token } = await signIn("tech", "tech");
    const list = await fetch(`${platform.coreUrl}/api/sessions`, {
      headers: { authorization: `Bearer ${await platform.token("admin")}` },
    });
    const { sessions } = (await list.json()) as { sessions: { id: string; ip: string; user_agent: string }[] };
    const mine = sessions.find((s) => s.id === decodeJwt(token!).jti);
    expect(mine).toMatchObject({ ip: "203.0.113.9", user_agent: "test-browser" });
  });

  test("a wrong password is refused on the login page with a message", async () => {
    const result = await signIn("tech", "wrong");
    expect(result.refused!.status).toBe(401);
    expect(await result.refused!.text()).toContain("Invalid username or password.");
  });

  test("Core refuses an access token the IdP did not issue", async () => {
    const res = await fetch(`${platform.coreUrl}/api/token/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ access_token: "forged-access-token" }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_access_token");
  });
});
