import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServiceClient, ServiceCallError } from "../src/service-client.ts";
import { createAuth, coreSessionCheck, remoteJwks } from "../src/auth.ts";
import { rmSync } from "node:fs";
import { secretPath, serviceSecret } from "../src/secrets.ts";
import { loadPlatformConfig } from "../src/config.ts";
import { startPlatform, type TestPlatform } from "../src/testing/index.ts";

let platform: TestPlatform;
let target: ReturnType<typeof Bun.serve>;
let serviceTokenCalls = 0;

beforeAll(async () => {
  platform = await startPlatform({ apps: { codex: { start: false }, helm: { start: false } } });
  // A stand-in "helm" that authenticates with lib/auth exactly as the real app does.
  const auth = createAuth({
    audience: "helm",
    keys: remoteJwks(platform.coreUrl),
    sessionCheck: coreSessionCheck(platform.coreUrl),
  });
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: platform.ports.helm,
    async fetch(req) {
      const token = req.headers.get("authorization")?.slice(7) ?? "";
      try {
        const p = await auth.verify(token);
        return Response.json({
          caller: p.kind === "service" ? p.claims.calling_service : null,
          path: new URL(req.url).pathname,
          body: req.body ? await req.json() : null,
        });
      } catch (e) {
        return Response.json({ error: (e as Error).message }, { status: 401 });
      }
    },
  });
});
afterAll(async () => {
  await target.stop(true);
  await platform.stop();
});

const originalFetch = globalThis.fetch;
beforeAll(() => {
  // Counts requests to Core's /service-token to prove tokens are cached.
  globalThis.fetch = Object.assign(
    (input: string | URL | Request, init?: RequestInit) => {
      if (String(input instanceof Request ? input.url : input).endsWith("/service-token")) serviceTokenCalls++;
      return originalFetch(input, init);
    },
    { preconnect: originalFetch.preconnect },
  );
});
afterAll(() => {
  globalThis.fetch = originalFetch;
});

const logged: { level: string; message: string }[] = [];
const logger = {
  error: (message: string) => void logged.push({ level: "error", message }),
  info: (message: string) => void logged.push({ level: "info", message }),
};

function client(secret = serviceSecret(platform.home, "codex"), coreUrl = platform.coreUrl) {
  return createServiceClient({
    name: "codex",
    secret,
    coreUrl,
    services: loadPlatformConfig(platform.env).services,
    logger,
  });
}

describe("callService", () => {
  // First: Core reads a caller's secret file again at most every few seconds after a wrong one.
  test("a secret renewed while Core runs (the app lost it and restarted) is accepted at once", async () => {
    rmSync(secretPath(platform.home, "service-codex"));
    const { callService } = client(serviceSecret(platform.home, "codex"));
    expect((await callService("helm", "/x")).status).toBe(200);
  });

  test("authenticates to Core, calls the target with a service token, and reuses the token", async () => {
    const { callService } = client();
    serviceTokenCalls = 0;
    const first = await callService("helm", "/api/logs/ingest", { method: "POST", body: JSON.stringify({ a: 1 }) });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ caller: "codex", path: "/api/logs/ingest", body: { a: 1 } });
    const second = await Promise.all([callService("helm", "/x"), callService("helm", "/y")]);
    expect(second.map((r) => r.status)).toEqual([200, 200]);
    expect(serviceTokenCalls).toBe(1);
  });

  test("a wrong secret fails loudly instead of calling unauthenticated", async () => {
    const { callService } = client("wrong-secret");
    await expect(callService("helm", "/x")).rejects.toBeInstanceOf(ServiceCallError);
  });

  test("the app's log says once what failed: Core refusing the secret names the file; Core unreachable says so", async () => {
    logged.length = 0;
    const refused = client("wrong-secret");
    for (let i = 0; i < 3; i++)
      await expect(refused.callService("helm", "/x")).rejects.toBeInstanceOf(ServiceCallError);
    expect(logged).toEqual([
      { level: "error", message: expect.stringContaining("Core refused this service's secret") },
    ]);
    expect(logged[0]!.message).toContain("secrets/service-codex.secret");

    logged.length = 0;
    const unreachable = client(serviceSecret(platform.home, "codex"), "http://127.0.0.1:9");
    await expect(unreachable.callService("helm", "/x")).rejects.toThrow("Core cannot be reached for a service token");
    expect(logged.map((l) => l.message)).toEqual([expect.stringContaining("Core cannot be reached")]);
  });

  test("an unknown service or a relative path is a programming error", async () => {
    const { callService } = client();
    await expect(callService("ledger", "/x")).rejects.toThrow("unknown service");
    await expect(callService("helm", "x")).rejects.toThrow('start with "/"');
  });
});
