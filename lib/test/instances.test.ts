import { afterAll, expect, test } from "bun:test";
import type { Server } from "bun";
import { failoverFetch, mayRetry } from "../src/instances.ts";
import { freePort } from "../src/testing/index.ts";

const servers: Server<undefined>[] = [];
afterAll(() => {
  for (const server of servers) server.stop(true);
});

const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
const reset = Object.assign(new Error("reset"), { code: "ECONNRESET" });

test("what may be sent again: anything never sent, reads, and writes with an Idempotency-Key", () => {
  expect(mayRetry("POST", null, refused)).toBe(true);
  expect(mayRetry("POST", null, reset)).toBe(false);
  expect(mayRetry("POST", "k", reset)).toBe(true);
  expect(mayRetry("GET", null, reset)).toBe(true);
  expect(mayRetry("GET", null, new Error("aborted"))).toBe(false);
});

test("a service of several instances: a down or starting instance is passed over", async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  servers.push(
    Bun.serve({ hostname: "127.0.0.1", port: ports[1]!, fetch: () => new Response("starting", { status: 503 }) }),
    Bun.serve({
      hostname: "127.0.0.1",
      port: ports[2]!,
      fetch: (req) => new Response(`ok ${new URL(req.url).pathname}`),
    }),
  );
  // ports[0]: nothing listens there.
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const send = failoverFetch(urls, { idempotent: true });
  for (let i = 0; i < 6; i++) {
    const res = await send(`${urls[0]}/api/token/validate`, { method: "POST", body: "{}" });
    expect(await res.text()).toBe("ok /api/token/validate");
  }
  // A write that may not be repeated gets the starting instance's 503 as it is.
  const writes = failoverFetch([urls[1]!, urls[2]!]);
  expect((await writes(`${urls[1]}/x`, { method: "POST", body: "{}" })).status).toBe(503);
  // A URL on another service is plain fetch.
  expect((await send(`${urls[2]}/y`)).status).toBe(200);
});
