import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { eventually, getLogs, startHelmPlatform } from "./harness.ts";

/**
 * lib's log shipper in a real app process (Core): lines logged while Helm is down are
 * buffered and arrive once it is back; beyond the buffer's bound the oldest are dropped and
 * the count is reported.
 */
let platform: TestPlatform;
let admin: string;

beforeAll(async () => {
  platform = await startHelmPlatform();
  admin = await platform.token("admin");
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

/** Every request to Core logs one DEBUG line carrying this request id. */
async function hitCore(requestId: string, times: number) {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${platform.coreUrl}/health`, { headers: { "x-request-id": requestId } });
    await res.body?.cancel();
  }
}

const countOf = async (requestId: string) =>
  (await getLogs(platform, admin, { service: "core", request_id: requestId, limit: "1" })).total;

describe("shipping logs to Helm", () => {
  test("lines logged while Helm is down arrive when it is back, none lost within the buffer", async () => {
    await platform.start("core", {
      LOG_LEVEL: "debug",
      HIVEMATRIX_LOG_FLUSH_MS: "200",
      HIVEMATRIX_LOG_BUFFER_LINES: "5000",
    });
    await hitCore("ship-before", 1);
    await eventually(async () => (await countOf("ship-before")) === 1, 20_000, "Core's line to reach Helm");

    await platform.stopApp("helm");
    await hitCore("ship-while-down", 300);
    // Give the shipper time to fail and back off at least once.
    await Bun.sleep(1_500);
    await platform.start("helm");
    const n = await eventually(
      async () => {
        const c = await countOf("ship-while-down");
        return c === 300 ? c : false;
      },
      60_000,
      "all 300 buffered lines to arrive",
    );
    expect(n).toBe(300);
    const sample = await getLogs(platform, admin, { service: "core", request_id: "ship-while-down", limit: "1" });
    expect(sample.logs[0]).toMatchObject({
      service: "core",
      level: "DEBUG",
      message: "request",
      context: { path: "/health", status: 200 },
    });
  }, 120_000);

  test("beyond the buffer's bound the oldest lines are dropped; the count is logged once Helm is back", async () => {
    await platform.start("core", {
      LOG_LEVEL: "debug",
      HIVEMATRIX_LOG_FLUSH_MS: "200",
      HIVEMATRIX_LOG_BUFFER_LINES: "50",
    });
    await hitCore("ship-warmup", 1);
    await eventually(async () => (await countOf("ship-warmup")) === 1, 20_000, "Core's line to reach Helm");

    await platform.stopApp("helm");
    await hitCore("ship-overflow", 200);
    await platform.start("helm");
    const report = await eventually(
      async () => {
        const r = await getLogs(platform, admin, { service: "core", level: "WARNING", q: "log shipper dropped" });
        return r.logs[0] ?? false;
      },
      60_000,
      "the dropped-lines report",
    );
    const dropped = report.context!.dropped as number;
    expect(dropped).toBeGreaterThanOrEqual(150);
    const kept = await countOf("ship-overflow");
    expect(kept).toBeLessThanOrEqual(50);
    expect(kept + dropped).toBeGreaterThanOrEqual(200);
    // The newest lines are the ones kept.
    expect(kept).toBeGreaterThan(40);
  }, 120_000);
});
