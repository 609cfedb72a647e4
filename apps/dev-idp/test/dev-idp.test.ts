import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { CookieJar, follow, submitLogin, tempHome } from "@hivematrix/lib/testing";
import { startIdp, type TestIdp } from "./start.ts";

let home: string;
let idp: TestIdp;

const PUBLIC_ORIGIN = "https://hive.example";
const REDIRECT = `${PUBLIC_ORIGIN}/keycloak-callback`;
const start = (port?: number) => startIdp(home, { port, env: { NEXUS_PUBLIC_URL: PUBLIC_ORIGIN } });

beforeAll(async () => {
  home = tempHome();
  idp = await start();
});
afterAll(() => idp.close());

const client = () => new KeyCloak(idp.issuer, idp.clientId, idp.clientSecret, REDIRECT);

describe("Keycloak's URL layout", () => {
  test("discovery lists the realm's endpoints at Keycloak's paths", async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    const p = `${idp.issuer}/protocol/openid-connect`;
    expect(d).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${p}/auth`,
      token_endpoint: `${p}/token`,
      userinfo_endpoint: `${p}/userinfo`,
      jwks_uri: `${p}/certs`,
      end_session_endpoint: `${p}/logout`,
      revocation_endpoint: `${p}/revoke`,
    });
    expect(d.code_challenge_methods_supported).toContain("S256");
  });

  test("the certs endpoint publishes an RS256 key", async () => {
    const { keys } = (await (await fetch(`${idp.issuer}/protocol/openid-connect/certs`)).json()) as {
      keys: { kty: string; d?: string }[];
    };
    expect(keys[0]!.kty).toBe("RSA");
    expect(keys[0]!.d).toBeUndefined();
  });

  test("links follow Nexus's X-Forwarded-Prefix, host and proto", async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`, {
      headers: { "x-forwarded-prefix": "/keycloak", "x-forwarded-host": "hive.example", "x-forwarded-proto": "https" },
    });
    const d = (await res.json()) as { authorization_endpoint: string };
    expect(d.authorization_endpoint).toBe(
      "https://hive.example/keycloak/realms/hivematrix/protocol/openid-connect/auth",
    );
  });

  test("a request's host never appears in a URL: proxied ones get the public origin (Keycloak's --hostname)", async () => {
    const endpoint = async (headers: Record<string, string>) => {
      const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`, { headers });
      return ((await res.json()) as { authorization_endpoint: string }).authorization_endpoint;
    };
    for (const forwarded of [
      { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
      { "x-forwarded-host": "hive.example", "x-forwarded-proto": "http" },
    ])
      expect(await endpoint(forwarded)).toBe(`${PUBLIC_ORIGIN}/realms/hivematrix/protocol/openid-connect/auth`);
    expect(await endpoint({ host: "evil.example" })).toBe(`${idp.issuer}/protocol/openid-connect/auth`);
  });
});

describe("the provider's own pages", () => {
  test("sign-out and error pages carry the apps' security headers; the one inline script runs by nonce", async () => {
    const signOut = await fetch(`${idp.issuer}/protocol/openid-connect/logout`);
    const error = await fetch(`${idp.issuer}/protocol/openid-connect/auth?client_id=nobody`);
    for (const res of [signOut, error]) {
      expect(res.headers.get("content-type")).toContain("text/html");
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("the authorization endpoint", () => {
  test("requires PKCE", async () => {
    const url = new URL(`${idp.issuer}/protocol/openid-connect/auth`);
    url.search = new URLSearchParams({
      client_id: "core-client",
      response_type: "code",
      redirect_uri: REDIRECT,
      scope: "openid",
      state: "s",
    }).toString();
    const res = await fetch(url, { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toContain("PKCE");
  });

  test("refuses a redirect URI that is not registered exactly", async () => {
    const other = new KeyCloak(idp.issuer, idp.clientId, idp.clientSecret, `${REDIRECT}/../evil`);
    const res = await fetch(other.createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]), {
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("redirect_uri");
  });

  test("shows a login form that works without JavaScript, behind Nexus's prefix too", async () => {
    const jar = new CookieJar();
    const url = client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString();
    const first = await jar.fetch(url, { headers: { "x-forwarded-prefix": "/keycloak" } });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toStartWith("/keycloak/realms/hivematrix/login-actions/authenticate/");
    const { res } = await follow(jar, url);
    const html = await res.text();
    expect(html).toStartWith("<!DOCTYPE html>");
    expect(html).toMatch(
      /<form class="form" action="\/realms\/hivematrix\/login-actions\/authenticate\/[\w-]+" method="post"/,
    );
    expect(html).toContain('name="username"');
    expect(html).toContain('type="password"');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("style=");
  });

  test("a wrong password re-renders the form with a clear message and keeps the username", async () => {
    const jar = new CookieJar();
    const { url, res } = await follow(
      jar,
      client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
    );
    const refused = await submitLogin(jar, url, await res.text(), "tech", "nope");
    expect(refused.status).toBe(401);
    const html = await refused.text();
    expect(html).toContain("Invalid username or password.");
    expect(html).toContain('value="tech"');
    expect(html).toContain("alert--error");
  });

  test("an expired or foreign login link is a 400 page, not a crash", async () => {
    const res = await fetch(`${idp.issuer}/login-actions/authenticate/not-a-real-uid`, {
      headers: { accept: "text/html" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expired");
  });
});

describe("tokens", () => {
  async function signIn(username: string) {
    const jar = new CookieJar();
    const verifier = generateCodeVerifier();
    const c = client();
    const { url, res } = await follow(
      jar,
      c.createAuthorizationURL(generateState(), verifier, ["openid", "profile", "email"]).toString(),
    );
    const ok = await submitLogin(jar, url, await res.text(), username, username);
    const back = await follow(jar, new URL(ok.headers.get("location")!, url).toString(), {}, PUBLIC_ORIGIN);
    const tokens = await c.validateAuthorizationCode(new URL(back.url).searchParams.get("code")!, verifier);
    return { jar, tokens };
  }

  test("groups reach userinfo, the ID token and the access token (introspection)", async () => {
    const { tokens } = await signIn("billing");
    const info = await (
      await fetch(`${idp.issuer}/protocol/openid-connect/userinfo`, {
        headers: { authorization: `Bearer ${tokens.accessToken()}` },
      })
    ).json();
    expect(info).toMatchObject({
      preferred_username: "billing",
      groups: ["billing"],
      email: "billing@hivematrix.local",
      name: "Bea Billing",
    });
    const basic = `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString("base64")}`;
    const introspection = await fetch(`${idp.issuer}/protocol/openid-connect/token/introspect`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.accessToken() }),
    });
    expect(await introspection.json()).toMatchObject({ active: true, groups: ["billing"] });
  });

  test("a revoked access token no longer works at userinfo", async () => {
    const { tokens } = await signIn("tech");
    await client().revokeToken(tokens.accessToken());
    const res = await fetch(`${idp.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken()}` },
    });
    expect(res.status).toBe(401);
  });

  test("logout with an id_token_hint ends the IdP session and returns to the registered page", async () => {
    const { jar, tokens } = await signIn("admin");
    const logout = new URL(`${idp.issuer}/protocol/openid-connect/logout`);
    logout.search = new URLSearchParams({
      id_token_hint: tokens.idToken(),
      post_logout_redirect_uri: `${PUBLIC_ORIGIN}/signed-out`,
    }).toString();
    const page = await jar.fetch(logout.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Sign out of HiveMatrix?");
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const confirmed = await jar.fetch(new URL(action, logout).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, logout: "yes" }),
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toStartWith(`${PUBLIC_ORIGIN}/signed-out`);
    // The SSO session is gone: a new authorization request asks for the password again.
    const again = await jar.fetch(
      client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
    );
    expect(again.headers.get("location")).toContain("/login-actions/authenticate/");
  });
});

describe("restarts", () => {
  test("keep the signing key, the client secret and signed-in sessions", async () => {
    const jar = new CookieJar();
    const verifier = generateCodeVerifier();
    const { url, res } = await follow(
      jar,
      client().createAuthorizationURL(generateState(), verifier, ["openid"]).toString(),
    );
    const ok = await submitLogin(jar, url, await res.text(), "tech", "tech");
    await follow(jar, new URL(ok.headers.get("location")!, url).toString(), {}, PUBLIC_ORIGIN);
    const before = await (await fetch(`${idp.issuer}/protocol/openid-connect/certs`)).json();
    const secret = idp.clientSecret;
    await idp.close();
    idp = await start(Number(new URL(idp.url).port));
    expect(await (await fetch(`${idp.issuer}/protocol/openid-connect/certs`)).json()).toEqual(before);
    expect(idp.clientSecret).toBe(secret);
    // Still signed in at the IdP after its restart: no login page, straight back to the client.
    const again = await follow(
      jar,
      client().createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString(),
      {},
      PUBLIC_ORIGIN,
    );
    expect(new URL(again.url).searchParams.get("code")).toBeString();
  });
});
