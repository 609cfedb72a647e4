import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import {
  CookieJar,
  follow,
  freePort,
  startPlatform,
  submitLogin,
  tempHome,
  type TestPlatform,
} from "@hivematrix/lib/testing";

setDefaultTimeout(60_000);

let platform: TestPlatform;
let httpsPort: number;
let publicUrl: string;

beforeAll(async () => {
  const dir = tempHome();
  const cert = join(dir, "nexus.crt");
  const key = join(dir, "nexus.key");
  const made = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  httpsPort = await freePort();
  publicUrl = `https://localhost:${httpsPort}`;
  // The test's own fetches trust the self-signed certificate.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  platform = await startPlatform({
    idp: true,
    env: { NEXUS_PUBLIC_URL: publicUrl },
    apps: {
      nexus: {
        title: "Nexus",
        visible: false,
        env: { NEXUS_TLS_CERT: cert, NEXUS_TLS_KEY: key, NEXUS_HTTPS_PORT: String(httpsPort) },
      },
    },
  });
});
afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await platform?.stop();
});

describe("Nexus with a certificate and key", () => {
  test("serves HTTPS on its TLS port and sends plain HTTP there, except /health", async () => {
    const health = await fetch(`${publicUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("strict-transport-security")).toContain("max-age=");
    const plain = await fetch(`${platform.urls.nexus}/core/sessions?x=1`, { redirect: "manual" });
    expect(plain.status).toBe(308);
    expect(plain.headers.get("location")).toBe(`${publicUrl}/core/sessions?x=1`);
    expect((await fetch(`${platform.urls.nexus}/health`)).status).toBe(200);
  });

  test("signing in over HTTPS sets a Secure cookie, and proxied pages work over HTTPS", async () => {
    const jar = new CookieJar();
    const login = await follow(jar, `${publicUrl}/`, { headers: { accept: "text/html" } });
    expect(login.url).toStartWith(`${publicUrl}/keycloak/realms/hivematrix/login-actions/authenticate/`);
    const submitted = await submitLogin(jar, login.url, await login.res.text(), "admin", "admin");
    const resumed = await jar.fetch(new URL(submitted.headers.get("location")!, login.url).toString());
    const callback = await jar.fetch(new URL(resumed.headers.get("location")!, login.url).toString());
    expect(callback.status).toBe(303);
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith("hm_session="))!;
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("HttpOnly");
    const home = await jar.fetch(`${publicUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Welcome, Ada Admin");
    // Core's own page, proxied, builds its links from the forwarded prefix.
    const sessions = await jar.fetch(`${publicUrl}/core/sessions`);
    expect(sessions.status).toBe(200);
    expect(await sessions.text()).toContain('action="/core/sessions/');
  });
});
