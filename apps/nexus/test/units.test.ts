import { describe, expect, test } from "bun:test";
import { ConfigError } from "@hivematrix/lib/config";
import { tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { mayOpen } from "../src/access.ts";
import { loadSettings } from "../src/deps.ts";
import { idpPathAllowed, rewriteIdpCookie } from "../src/proxy/idp-proxy.ts";
import { foreignCookies, readCookie } from "../src/sessions/cookies.ts";
import { createSealer } from "../src/sessions/seal.ts";
import { createInjector, endOfHead } from "../src/stylesheet/inject.ts";

describe("cookies", () => {
  test("reads one cookie by exact name", () => {
    const header = "xhm_session=no; hm_session=yes; hm_theme=dark";
    expect(readCookie(header, "hm_session")).toBe("yes");
    expect(readCookie(header, "hm_theme")).toBe("dark");
    expect(readCookie(header, "hm_login")).toBeNull();
    expect(readCookie(null, "hm_session")).toBeNull();
  });

  test("Nexus's own cookies never reach the identity provider", () => {
    expect(foreignCookies("hm_session=a; _session=idp; hm_login=b; hm_theme=dark")).toBe("_session=idp");
    expect(foreignCookies("hm_session=a")).toBeNull();
  });

  test("sealed values open only with the key and purpose they were sealed with", async () => {
    const key = Buffer.alloc(32, 7).toString("base64url");
    const sealer = createSealer(key);
    const sealed = await sealer.seal({ t: "jwt" }, "session");
    expect(await sealer.open(sealed, "session")).toEqual({ t: "jwt" });
    expect(await createSealer(key).open(sealed, "login")).toBeNull();
    expect(await createSealer(Buffer.alloc(32, 8).toString("base64url")).open(sealed, "session")).toBeNull();
    expect(await sealer.open(`${sealed.slice(0, -4)}AAAA`, "session")).toBeNull();
  });
});

describe("the identity provider's public paths", () => {
  const allowed = (p: string) => idpPathAllowed(p, "hivematrix");
  test("only the realm's browser sign-in and sign-out pages", () => {
    expect(allowed("/keycloak/realms/hivematrix/protocol/openid-connect/auth")).toBe(true);
    expect(allowed("/keycloak/realms/hivematrix/protocol/openid-connect/auth/abc123")).toBe(true);
    expect(allowed("/keycloak/realms/hivematrix/protocol/openid-connect/logout/confirm")).toBe(true);
    expect(allowed("/keycloak/realms/hivematrix/login-actions/authenticate/xyz")).toBe(true);
    expect(allowed("/keycloak/resources/abc/login/keycloak.v2/css/styles.css")).toBe(true);
    for (const p of [
      "/keycloak/admin/master/console/",
      "/keycloak/realms/master/protocol/openid-connect/auth",
      "/keycloak/realms/hivematrix/protocol/openid-connect/token",
      "/keycloak/realms/hivematrix/protocol/openid-connect/certs",
      "/keycloak/realms/hivematrix/account",
      "/keycloak/realms/hivematrix/login-actions/../../master",
      "/keycloak/realms/hivematrix/protocol/openid-connect/auth/%2e%2e/token",
      "/keycloak/resources/../admin",
    ]) {
      expect(allowed(p), p).toBe(false);
    }
  });

  test("IdP cookies are kept under /keycloak, without a Domain, Secure under https", () => {
    expect(rewriteIdpCookie("_session=x; path=/; domain=127.0.0.1; httponly", false)).toBe(
      "_session=x; Path=/keycloak; httponly; SameSite=Lax",
    );
    expect(
      rewriteIdpCookie(
        "_interaction=y; path=/keycloak/realms/hivematrix/login-actions/authenticate/u; samesite=lax",
        true,
      ),
    ).toBe("_interaction=y; Path=/keycloak/realms/hivematrix/login-actions/authenticate/u; SameSite=Lax; Secure");
    expect(rewriteIdpCookie("KC=z; Path=/realms/hivematrix/; Secure", false)).toBe(
      "KC=z; Path=/keycloak/realms/hivematrix/; SameSite=Lax",
    );
  });

  /**
   * What a browser accepts (RFC 6265bis as Chromium applies it): on http no Secure (the cookie
   * would be dropped) and no SameSite=None (rejected without Secure), Partitioned only with
   * Secure; under https Secure. Always under /keycloak on Nexus's origin, never with a Domain.
   */
  function expectValidFor(scheme: "http" | "https", header: string, original: Bun.Cookie) {
    const cookie = Bun.Cookie.parse(header);
    expect(cookie.name).toBe(original.name);
    expect(cookie.value).toBe(original.value);
    expect(cookie.domain ?? null).toBeNull();
    expect(cookie.path === "/keycloak" || cookie.path.startsWith("/keycloak/")).toBe(true);
    expect(cookie.httpOnly).toBe(original.httpOnly);
    expect(cookie.maxAge).toBe(original.maxAge);
    if (scheme === "http") {
      expect(cookie.secure).toBe(false);
      expect(cookie.sameSite).not.toBe("none");
      expect(cookie.partitioned).toBe(false);
    } else {
      expect(cookie.secure).toBe(true);
      expect(cookie.sameSite).toBe(original.sameSite);
    }
  }

  test("every cookie shape Keycloak 26 sends is made valid for the browser's scheme", () => {
    const paths = ["", "; Path=/keycloak/realms/hivematrix/", "; Path=/realms/hivematrix/", "; Path=/"];
    const sameSites = ["", "; SameSite=None", "; SameSite=Lax", "; SameSite=Strict", "; samesite=none"];
    const bodies = [
      "AUTH_SESSION_ID=NTk5ZjRm.keycloak-0; Version=1",
      'KC_AUTH_SESSION_HASH="b4K6hPGg"; Version=1; Max-Age=60; Expires=Thu, 03 Dec 2026 13:01:00 GMT',
      "KEYCLOAK_IDENTITY=eyJhbGciOi.eyJleHAiOj.sig; Version=1; HttpOnly",
      "KEYCLOAK_SESSION=hivematrix/5c0b/e71d; Version=1; Max-Age=36000",
      "KEYCLOAK_IDENTITY=; Version=1; Comment=Expiring cookie; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Max-Age=0",
      "KC_RESTART=eyJhbGci; Version=1; HttpOnly",
    ];
    let checked = 0;
    for (const body of bodies)
      for (const path of paths)
        for (const sameSite of sameSites)
          for (const secure of ["", "; Secure", "; Secure; Partitioned"]) {
            const header = `${body}${path}${sameSite}${secure}`;
            const original = Bun.Cookie.parse(header);
            // A SameSite=None cookie without Secure is one no browser keeps, so Keycloak never sends it.
            if (original.sameSite === "none" && !original.secure) continue;
            expectValidFor("http", rewriteIdpCookie(header, false), original);
            expectValidFor("https", rewriteIdpCookie(header, true), original);
            checked++;
          }
    expect(checked).toBeGreaterThan(300);
  });

  test("Keycloak's session cookie for a localhost public URL becomes SameSite=Lax on http", () => {
    expect(
      rewriteIdpCookie(
        "AUTH_SESSION_ID=abc.node; Version=1; Path=/keycloak/realms/hivematrix/; SameSite=None; Secure; HttpOnly",
        false,
      ),
    ).toBe("AUTH_SESSION_ID=abc.node; Path=/keycloak/realms/hivematrix/; Version=1; HttpOnly; SameSite=Lax");
  });
});

describe("stylesheet injection", () => {
  const inject = createInjector("/static/global.0123456789abcdef.css");
  const html = (parts: string[]) =>
    new Response(
      new ReadableStream({
        start: (c) => {
          for (const p of parts) c.enqueue(new TextEncoder().encode(p));
          c.close();
        },
      }),
      { headers: { "content-type": "text/html" } },
    );

  test("finds </head> across chunks and in any case", async () => {
    const out = await (
      await inject(
        html(["<!DOCTYPE html><html lang=en><he", "ad><title>é</title></HE", "AD ><body>ü</body></html>"]),
        "light",
      )
    ).text();
    expect(out).toBe(
      '<!DOCTYPE html><html lang=en data-theme="light"><head><title>é</title>' +
        '<link rel="stylesheet" href="/static/global.0123456789abcdef.css"></HEAD ><body>ü</body></html>',
    );
  });

  test("a page of stated length is read whole and rewritten the same way, stating its new length", async () => {
    const page = "<!DOCTYPE html><html lang=en><head><title>é</title></head><body>ü</body></html>";
    const res = new Response(page, {
      status: 201,
      headers: {
        "content-type": "text/html",
        "content-length": String(new TextEncoder().encode(page).length),
        "x-app": "kept",
      },
    });
    const out = await inject(res, "dark");
    expect(out.status).toBe(201);
    expect(out.headers.get("x-app")).toBe("kept");
    const rewritten =
      '<!DOCTYPE html><html lang=en data-theme="dark"><head><title>é</title>' +
      '<link rel="stylesheet" href="/static/global.0123456789abcdef.css"></head><body>ü</body></html>';
    expect(out.headers.get("content-length")).toBe(String(new TextEncoder().encode(rewritten).length));
    expect(await out.text()).toBe(rewritten);
  });

  test("a page still arriving streams: its head goes out before the rest exists", async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const slow = new Response(new ReadableStream<Uint8Array>({ start: (c) => void (push = c) }), {
      headers: { "content-type": "text/html" },
    });
    push.enqueue(new TextEncoder().encode("<html><head><title>t</title></head><body>first"));
    const reader = (await inject(slow, null)).body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe(
      '<html><head><title>t</title><link rel="stylesheet" href="/static/global.0123456789abcdef.css">' +
        "</head><body>first",
    );
    push.enqueue(new TextEncoder().encode(" later</body></html>"));
    push.close();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(" later</body></html>");
    expect((await reader.read()).done).toBe(true);
  });

  test("endOfHead finds the end tag, not </header>", () => {
    const enc = new TextEncoder();
    expect(endOfHead(enc.encode("<head></head>"))).toBe(13);
    expect(endOfHead(enc.encode("<header></header>"))).toBe(-1);
    expect(endOfHead(enc.encode("</HEAD >x"))).toBe(8);
  });

  test("leaves a fragment without a head as it is", async () => {
    expect(await (await inject(html(["<p>partial</p>"]), null)).text()).toBe("<p>partial</p>");
  });
});

describe("permissions and settings", () => {
  test("a service's permission admits that level and admins", () => {
    expect(mayOpen("technician", null)).toBe(true);
    expect(mayOpen("admin", "billing")).toBe(true);
    expect(mayOpen("billing", "billing")).toBe(true);
    expect(mayOpen("technician", "billing")).toBe(false);
    expect(mayOpen("client", "admin")).toBe(false);
  });

  /** The platform's variables for a services.json holding `entries` besides Core and Nexus. */
  const platformEnv = (entries: Record<string, { port: number; visible?: boolean; host?: string }>) => {
    const home = tempHome();
    const services = writeServicesFile(home, {
      core: { port: 15000, visible: false },
      nexus: { port: 18000, visible: false, host: "0.0.0.0" },
      ...entries,
    });
    return { HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: services };
  };

  test("a service named like a Nexus path is a configuration error", () => {
    expect(() => loadSettings(platformEnv({ static: { port: 15999 } }))).toThrow(ConfigError);
    expect(() => loadSettings(platformEnv({ api: { port: 15999 } }))).toThrow(ConfigError);
  });

  test("TLS needs both files and a public https URL", () => {
    const env = platformEnv({});
    expect(() => loadSettings({ ...env, NEXUS_TLS_CERT: "/etc/hostname" })).toThrow(
      "set both NEXUS_TLS_CERT and NEXUS_TLS_KEY",
    );
    expect(() => loadSettings({ ...env, NEXUS_TLS_CERT: "/nope.crt", NEXUS_TLS_KEY: "/nope.key" })).toThrow(
      "no such file",
    );
    expect(() => loadSettings({ ...env, NEXUS_TLS_CERT: "/etc/hostname", NEXUS_TLS_KEY: "/etc/hostname" })).toThrow(
      "also set NEXUS_PUBLIC_URL",
    );
    const settings = loadSettings({
      ...env,
      NEXUS_TLS_CERT: "/etc/hostname",
      NEXUS_TLS_KEY: "/etc/hostname",
      NEXUS_PUBLIC_URL: "https://hive.example.com",
    });
    expect(settings.tls?.port).toBe(443);
    expect(settings.publicOrigin).toBe("https://hive.example.com");
  });

  test("a bad setting names the variable", () => {
    expect(() => loadSettings({ ...platformEnv({}), NEXUS_UPSTREAM_TIMEOUT_SECONDS: "soon" })).toThrow(
      "NEXUS_UPSTREAM_TIMEOUT_SECONDS",
    );
    expect(() => loadSettings({ ...platformEnv({}), NEXUS_RATE_LIMIT_LOOPBACK: "perhaps" })).toThrow(
      "NEXUS_RATE_LIMIT_LOOPBACK must be true or false",
    );
  });
});
