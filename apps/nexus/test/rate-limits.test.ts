import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createRateLimits } from "../src/proxy/rate-limit.ts";
import { startBackend } from "./backend.ts";
import { NAVIGATE, startNexusPlatform } from "./helpers.ts";

// Starting real processes can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

/** Limits low enough to reach in a test; the defaults are in deps.ts (README "Nexus"). */
const PER_ADDRESS = 40;
const PER_SESSION = 15;
const WINDOW_SECONDS = 2;

let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;
let first: string;
let second: string;

beforeAll(async () => {
  platform = await startNexusPlatform(
    { echo: { title: "Echo", start: false } },
    {
      NEXUS_RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
      NEXUS_RATE_LIMIT_PER_SESSION: String(PER_SESSION),
      NEXUS_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      // The test's requests come from loopback, which is not counted per address by default.
      NEXUS_RATE_LIMIT_LOOPBACK: "true",
    },
  );
  backend = startBackend(platform.ports.echo!);
  [first, second] = await Promise.all([
    platform.token("technician", { user: "first" }),
    platform.token("technician", { user: "second" }),
  ]);
});
afterAll(async () => {
  backend?.stop(true);
  await platform?.stop();
});

const asUser = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.nexus}/echo/api/headers`, { headers: { authorization: `Bearer ${token}`, ...headers } });

/** Waits out the current window, so each test starts with fresh counts. */
const nextWindow = () => Bun.sleep(WINDOW_SECONDS * 1000 + 100);

async function expectLimited(res: Response, what: "address" | "session") {
  expect(res.status).toBe(429);
  const wait = Number(res.headers.get("retry-after"));
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
  const body = await res.text();
  if (res.headers.get("content-type")?.includes("json"))
    expect(JSON.parse(body)).toMatchObject({ error: { code: "rate_limited", message: expect.stringContaining(what) } });
  else expect(body).toContain(`Too many requests from this ${what}`);
}

describe("rate limits", () => {
  test("one session past its limit gets 429 with Retry-After (JSON or a page); another session goes on", async () => {
    for (let i = 0; i < PER_SESSION; i++) expect((await asUser(first)).status).toBe(200);
    await expectLimited(await asUser(first), "session");
    const page = await fetch(`${platform.nexus}/echo/page`, {
      headers: { authorization: `Bearer ${first}`, ...NAVIGATE },
    });
    await expectLimited(page, "session");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect((await asUser(second)).status).toBe(200);
    await nextWindow();
    expect((await asUser(first)).status).toBe(200);
  });

  const addressLimit =
    "one address past its limit gets 429 on every path, whatever the session; /health is never limited";
  test(addressLimit, async () => {
    await nextWindow();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS; i++) {
      const res = await fetch(`${platform.nexus}/echo/api/headers`);
      statuses.push(res.status);
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    await expectLimited(await asUser(second), "address");
    await expectLimited(await fetch(`${platform.nexus}/login`, { headers: NAVIGATE }), "address");
    expect((await fetch(`${platform.nexus}/health`)).status).toBe(200);
    await nextWindow();
    expect((await asUser(second)).status).toBe(200);
  });
});

describe("rate limits by address", () => {
  test("loopback peers (this machine, a reverse proxy in front) are not counted per address unless asked", async () => {
    const limits = createRateLimits({ perAddress: 2, perSession: 100, windowSeconds: 60, limitLoopback: false });
    for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      const waits = [];
      for (let i = 0; i < 5; i++) waits.push(await limits.address(ip));
      expect([ip, waits]).toEqual([ip, [0, 0, 0, 0, 0]]);
    }
    const outside = [];
    for (let i = 0; i < 3; i++) outside.push(await limits.address("203.0.113.9"));
    expect(outside.slice(0, 2)).toEqual([0, 0]);
    expect(outside[2]).toBeGreaterThan(0);
    const strict = createRateLimits({ perAddress: 2, perSession: 100, windowSeconds: 60, limitLoopback: true });
    const counted = [
      await strict.address("127.0.0.1"),
      await strict.address("127.0.0.1"),
      await strict.address("127.0.0.1"),
    ];
    expect(counted[2]).toBeGreaterThan(0);
  });
});
