import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { decodeJwt } from "jose";
import { type RunningProcess, startProcess } from "@hivematrix/lib/testing";
import { startBackend } from "./backend.ts";
import { signIn, startNexusPlatform } from "./helpers.ts";

// Real processes: the IdP, Core, two Nexus workers and a backend.
setDefaultTimeout(60_000);

let platform: Awaited<ReturnType<typeof startNexusPlatform>>;
let backend: ReturnType<typeof startBackend>;
let second: RunningProcess;

/** Asks on a new connection each time, so the kernel hands each request to either worker. */
const fresh = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${platform.nexus}${path}`, { headers, keepalive: false, redirect: "manual" });

/** The statuses of `count` requests, each on its own connection. */
async function statuses(path: string, headers: Record<string, string>, count = 30): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, async () => (await fresh(path, headers)).status));
}

/**
 * How long until every worker refuses `cookie`. The worker that handled a sign-out refuses at
 * once; the others as soon as Core's revocation feed reaches them, which under load can be a
 * request or two (a few milliseconds) behind a client asking on a new connection.
 */
async function msUntilRefused(cookie: string): Promise<number> {
  const started = performance.now();
  while (!(await statuses("/echo/api/headers", { cookie }, 10)).every((s) => s === 401)) {
    if (performance.now() - started > 2_000) break;
  }
  return performance.now() - started;
}

/** Which workers answered `tries` health checks, each on a new connection. */
async function workersAnswering(tries: number): Promise<Set<number>> {
  const answered = new Set<number>();
  for (let i = 0; i < tries && answered.size < 2; i++)
    answered.add(((await (await fresh("/health")).json()) as { worker: number }).worker);
  return answered;
}

beforeAll(async () => {
  // As `bun run start` does with NEXUS_WORKERS=2: each worker knows its number and shares the port.
  platform = await startNexusPlatform({ echo: { title: "Echo", start: false } }, { HIVEMATRIX_WORKER: "1" });
  backend = startBackend(platform.ports.echo!);
  second = await startProcess({
    name: "nexus worker 2",
    entry: "apps/nexus/src/main.ts",
    env: { ...platform.env, HIVEMATRIX_WORKER: "2" },
    url: platform.nexus,
  });
  // Its /health check above may have been answered by the first: wait until the second answers too.
  const deadline = Date.now() + 20_000;
  while ((await workersAnswering(10)).size < 2) {
    if (Date.now() > deadline) throw new Error(`the second worker never answered:\n${second.output()}`);
    await Bun.sleep(100);
  }
});
afterAll(async () => {
  await second?.stop();
  backend?.stop(true);
  await platform?.stop();
});

describe("several Nexus processes on one port", () => {
  test("both answer on the one port", async () => {
    expect([...(await workersAnswering(100))].sort()).toEqual([1, 2]);
  });

  test("a session signed out through one worker is refused by the other, which had it cached, within milliseconds", async () => {
    const { jar, landed } = await signIn(platform.nexus, "tech");
    const cookie = `hm_session=${jar.get(platform.nexus, "hm_session")}`;
    // Both workers have verified this cookie and cached it.
    expect(new Set(await statuses("/echo/api/headers", { cookie }))).toEqual(new Set([200]));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await landed!.res.text())![1]!;
    const signedOut = await fetch(`${platform.nexus}/logout`, {
      method: "POST",
      keepalive: false,
      redirect: "manual",
      headers: { cookie, origin: platform.nexus, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(signedOut.status).toBe(303);
    // Well inside the 2 s a cached verdict lasts: the feed, not the cache's expiry, ended it.
    expect(await msUntilRefused(cookie)).toBeLessThan(250);
    expect(new Set(await statuses("/echo/api/headers", { cookie }))).toEqual(new Set([401]));
  });

  test("a session an admin revokes at Core is refused by every worker within milliseconds", async () => {
    const { jar } = await signIn(platform.nexus, "billing");
    const cookie = `hm_session=${jar.get(platform.nexus, "hm_session")}`;
    const seen = (await (await fresh("/echo/api/headers", { cookie })).json()) as { headers: Record<string, string> };
    expect(new Set(await statuses("/echo/api/headers", { cookie }))).toEqual(new Set([200]));
    const jti = decodeJwt(seen.headers.authorization!.slice(7)).jti!;
    const revoked = await fetch(`${platform.coreUrl}/api/sessions/${jti}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${await platform.token("admin")}` },
    });
    expect(revoked.status).toBe(200);
    expect(await msUntilRefused(cookie)).toBeLessThan(250);
    expect(new Set(await statuses("/echo/api/headers", { cookie }))).toEqual(new Set([401]));
  });
});
