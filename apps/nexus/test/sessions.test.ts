import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { decodeJwt } from "jose";
import { CookieJar, follow, submitLogin } from "@hivematrix/lib/testing";
import { safeTarget } from "../src/sign-in/targets.ts";
import { startBackend } from "./backend.ts";
import { NAVIGATE, signIn, startNexusPlatform } from "./helpers.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;

beforeAll(async () => {
  platform = await startNexusPlatform({
    echo: { title: "Echo", start: false },
    admintool: { title: "Admin tool", start: false, permission: "admin" },
  });
  backend = startBackend(platform.ports.echo!);
});
afterAll(async () => {
  backend?.stop(true);
  await platform?.stop();
});

const sessionCookie = (jar: CookieJar) => jar.get(platform.nexus, "hm_session");
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("sign-in", () => {
  test("returns to the page asked for with an encrypted, HttpOnly, SameSite=Lax cookie", async () => {
    const jar = new CookieJar();
    const login = await follow(jar, `${platform.nexus}/echo/headers?from=test`, { headers: NAVIGATE });
    const submitted = await submitLogin(jar, login.url, await login.res.text(), "tech", "tech");
    const callback = await follow(
      jar,
      new URL(submitted.headers.get("location")!, login.url).toString(),
      {},
      undefined,
    );
    expect(callback.url).toBe(`${platform.nexus}/echo/headers?from=test`);
    const setCookie = callback.hops.find((h) => h.url.includes("/keycloak-callback"));
    expect(setCookie?.status).toBe(303);
    const value = sessionCookie(jar)!;
    // A JWE (five parts), not the readable JWT.
    expect(value.split(".")).toHaveLength(5);
    expect(() => decodeJwt(value)).toThrow();
    const seen = (await callback.res.json()) as { headers: Record<string, string> };
    expect(decodeJwt(seen.headers.authorization!.slice(7))).toMatchObject({
      preferred_username: "tech",
      permission_level: "technician",
    });
  });

  test("the session cookie's attributes", async () => {
    const jar = new CookieJar();
    const login = await follow(jar, `${platform.nexus}/`, { headers: NAVIGATE });
    const submitted = await submitLogin(jar, login.url, await login.res.text(), "billing", "billing");
    const resumed = await jar.fetch(new URL(submitted.headers.get("location")!, login.url).toString());
    const callback = await jar.fetch(resumed.headers.get("location")!);
    const header = callback.headers.getSetCookie().find((c) => c.startsWith("hm_session="))!;
    expect(header).toContain("HttpOnly");
    expect(header).toContain("SameSite=Lax");
    expect(header).toContain("Path=/");
    expect(header).toMatch(/Max-Age=3[0-9]{3}/);
    expect(header).not.toContain("Secure");
  });

  test("a wrong password shows an error on the login page", async () => {
    const result = await signIn(platform.nexus, "tech", "not-the-password");
    expect(result.refused!.status).toBe(401);
    const html = await result.refused!.text();
    expect(html).toContain("Invalid username or password.");
    expect(html).toContain('<link rel="stylesheet" href="/static/global.');
  });

  test("a callback with a forged state, no login cookie or an IdP error is refused with a page", async () => {
    const jar = new CookieJar();
    await jar.fetch(`${platform.nexus}/login?next=/echo/page`);
    const forged = await jar.fetch(`${platform.nexus}/keycloak-callback?code=abc&state=forged`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("does not match");
    const fresh = await fetch(`${platform.nexus}/keycloak-callback?code=abc&state=x`);
    expect(fresh.status).toBe(400);
    expect(await fresh.text()).toContain("expired");
    const denied = await jar.fetch(`${platform.nexus}/keycloak-callback?error=access_denied&state=x`);
    expect(denied.status).toBe(400);
    expect(await denied.text()).toContain("access_denied");
  });

  test("an authorization code cannot be replayed to another browser", async () => {
    const jar = new CookieJar();
    const login = await follow(jar, `${platform.nexus}/echo/page`, { headers: NAVIGATE });
    const submitted = await submitLogin(jar, login.url, await login.res.text(), "tech", "tech");
    const resumed = await jar.fetch(new URL(submitted.headers.get("location")!, login.url).toString());
    const callbackUrl = resumed.headers.get("location")!;
    // The attacker has the code and state but not this browser's login cookie.
    const stolen = await fetch(callbackUrl, { redirect: "manual" });
    expect(stolen.status).toBe(400);
    expect(stolen.headers.getSetCookie().some((c) => c.startsWith("hm_session=") && !c.includes("Max-Age=0"))).toBe(
      false,
    );
  });
});

describe("open redirects", () => {
  const attempts = [
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "/..//evil.example",
    "/\t/evil.example",
    " //evil.example",
    "////evil.example",
    "https:/\\evil.example",
  ];

  test("every form of a foreign target becomes a local path", () => {
    for (const a of attempts) {
      const target = safeTarget(a);
      expect(target, a).toStartWith("/");
      expect(target.startsWith("//"), a).toBe(false);
      expect(new URL(target, "http://nexus.local").origin, a).toBe("http://nexus.local");
    }
    expect(safeTarget("/echo/page?x=1#top")).toBe("/echo/page?x=1#top");
  });

  test("signing in with ?next=<foreign> lands on this site", async () => {
    for (const next of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "%2F%2Fevil.example",
      "/%5Cevil.example",
      "javascript:alert(1)",
    ]) {
      const jar = new CookieJar();
      const login = await follow(jar, `${platform.nexus}/login?next=${encodeURIComponent(next)}`);
      const submitted = await submitLogin(jar, login.url, await login.res.text(), "tech", "tech");
      const back = await follow(jar, new URL(submitted.headers.get("location")!, login.url).toString());
      expect(new URL(back.url).origin, next).toBe(platform.nexus);
      for (const hop of back.hops) expect(new URL(hop.url).origin, next).toBe(platform.nexus);
    }
  });
});

describe("home page", () => {
  test("shows tiles for the apps each level may open", async () => {
    const tiles = async (user: string) => {
      const { landed } = await signIn(platform.nexus, user);
      const html = await landed!.res.text();
      return [...html.matchAll(/<h2 class="card__title"><a href="\/([a-z-]+)\/">/g)].map((m) => m[1]);
    };
    expect(await tiles("admin")).toEqual(["echo", "admintool"]);
    expect(await tiles("tech")).toEqual(["echo"]);
    expect(await tiles("client")).toEqual(["echo"]);
  });

  test("admins get a link to the sessions page; others do not", async () => {
    const admin = await (await signIn(platform.nexus, "admin")).landed!.res.text();
    expect(admin).toContain('href="/core/sessions"');
    const billing = await (await signIn(platform.nexus, "billing")).landed!.res.text();
    expect(billing).not.toContain('href="/core/sessions"');
    expect(billing).toContain("Bea Billing");
  });

  test("the theme toggle remembers a choice in a cookie and sets data-theme", async () => {
    const { jar, landed } = await signIn(platform.nexus, "tech");
    const csrf = csrfOf(await landed!.res.text());
    const set = await jar.fetch(`${platform.nexus}/theme`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: platform.nexus },
      body: new URLSearchParams({ _csrf: csrf, theme: "dark", back: "//evil.example" }),
    });
    expect(set.status).toBe(303);
    expect(set.headers.get("location")).toBe("/");
    const page = await (await jar.fetch(`${platform.nexus}/echo/page`)).text();
    expect(page).toContain('data-theme="dark"');
    const refused = await jar.fetch(`${platform.nexus}/theme`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: platform.nexus },
      body: new URLSearchParams({ _csrf: "wrong", theme: "light" }),
    });
    expect(refused.status).toBe(403);
  });
});

describe("sign-out and revocation", () => {
  const logout =
    "logout revokes at Core, clears the cookie and site data, ends the IdP session, and the old cookie fails at once";
  test(logout, async () => {
    const { jar, landed } = await signIn(platform.nexus, "tech");
    const old = sessionCookie(jar)!;
    const csrf = csrfOf(await landed!.res.text());
    expect((await jar.fetch(`${platform.nexus}/echo/api/headers`)).status).toBe(200);

    const out = await jar.fetch(`${platform.nexus}/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: platform.nexus },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().some((c) => c.startsWith("hm_session=;") && c.includes("Max-Age=0"))).toBe(true);
    expect(out.headers.get("clear-site-data")).toContain('"storage"');
    const endSession = new URL(out.headers.get("location")!);
    expect(endSession.pathname).toBe("/keycloak/realms/hivematrix/protocol/openid-connect/logout");
    expect(endSession.searchParams.get("id_token_hint")).toBeString();
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(`${platform.nexus}/signed-out`);

    // The old cookie, replayed immediately (no cache grace), is refused.
    const replay = await fetch(`${platform.nexus}/echo/api/headers`, { headers: { cookie: `hm_session=${old}` } });
    expect(replay.status).toBe(401);

    // The IdP ends its session and returns to /signed-out (its confirmation form, submitted as a browser would).
    const confirm = await follow(jar, endSession.toString());
    const form = await confirm.res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(form)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)![1]!;
    const done = await follow(jar, new URL(action, confirm.url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, logout: "yes" }),
    });
    expect(done.url).toBe(`${platform.nexus}/signed-out`);
    expect(done.res.headers.get("clear-site-data")).toBe('"cache", "cookies", "storage"');
    expect(await done.res.text()).toContain("You are signed out");

    // Signing in again needs the password: the IdP session is gone.
    const again = await follow(jar, `${platform.nexus}/echo/page`, { headers: NAVIGATE });
    expect(again.url).toContain("/login-actions/authenticate/");
  });

  test("a session an admin revokes is refused within 5 seconds", async () => {
    const { jar } = await signIn(platform.nexus, "billing");
    const cookie = `hm_session=${sessionCookie(jar)}`;
    const token = (await (await jar.fetch(`${platform.nexus}/echo/api/headers`)).json()) as {
      headers: Record<string, string>;
    };
    const jti = decodeJwt(token.headers.authorization!.slice(7)).jti!;
    const admin = await platform.token("admin");
    const revoke = await fetch(`${platform.coreUrl}/api/sessions/${jti}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.status).toBe(200);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 6_000) {
      status = (await jar.fetch(`${platform.nexus}/echo/api/headers`)).status;
      if (status === 200) await Bun.sleep(100);
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    // A page request with the dead cookie is sent to sign in and the cookie is cleared.
    const page = await fetch(`${platform.nexus}/echo/page`, { headers: { ...NAVIGATE, cookie }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.getSetCookie().some((c) => c.startsWith("hm_session=;"))).toBe(true);
  });

  test("a logout posted from another site is refused", async () => {
    const { jar } = await signIn(platform.nexus, "tech");
    const res = await jar.fetch(`${platform.nexus}/logout`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(res.status).toBe(403);
    expect((await jar.fetch(`${platform.nexus}/echo/api/headers`)).status).toBe(200);
  });
});
