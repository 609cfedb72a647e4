import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServiceClient, ServiceCallError } from "../src/service-client.ts";
import { createAuth, coreSessionCheck, remoteJwks } from "../src/auth.ts";
import { serviceSecret } from "../src/secrets.ts";
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

function client(secret = serviceSecret(platform.home, "codex")) {
  return createServiceClient({
    name: "codex",
    secret,
    coreUrl: platform.coreUrl,
    services: loadPlatformConfig(platform.env).services,
  });
}

describe("callService", () => {
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

  test("an unknown service or a relative path is a programming error", async () => {
    const { callService } = client();
    await expect(callService("ledger", "/x")).rejects.toThrow("unknown service");
    await expect(callService("helm", "x")).rejects.toThrow('start with "/"');
  });
});
