import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { postgresTestUrl, type TestPlatform, withPostgres } from "@hivematrix/lib/testing";
import { bearer, eventually, line, serviceClient, startHelmPlatform } from "./harness.ts";

// Core and two Helm instances start here, each migrating its PostgreSQL database.
setDefaultTimeout(90_000);

/** Two Helm instances on one PostgreSQL database: a live tail shows lines whichever instance stored them. */
describe.skipIf(!postgresTestUrl())("the live tail across Helm's instances", () => {
  let platform: TestPlatform;
  let drop = async () => {};

  beforeAll(async () => {
    const pg = await withPostgres("hm_helm_two");
    drop = pg.drop;
    platform = await startHelmPlatform({
      callers: ["probe"],
      apps: { helm: { permission: "admin", instances: 2 } },
      env: { HELM_DATABASE_URL: pg.url },
      startTimeoutMs: 90_000,
    });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await drop();
  });

  test("a line ingested by one instance appears in a live tail held on the other", async () => {
    const admin = await platform.token("admin");
    const abort = new AbortController();
    const stream = await fetch(`${platform.urls["helm.2"]}/logs/stream?service=probe`, {
      headers: bearer(admin),
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    void (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value);
    })().catch(() => {});
    await eventually(async () => text.includes("event: ready"), 10_000, "the stream to open");
    // Straight to the first instance, with the token the probe's log shipper would send.
    const token = await serviceClient(platform, "probe").getServiceToken("helm");
    const res = await fetch(`${platform.urls.helm}/api/logs/ingest`, {
      method: "POST",
      headers: bearer(token, { "content-type": "application/json" }),
      body: JSON.stringify({ lines: [line("stored by the first instance")] }),
    });
    expect(res.status).toBeLessThan(300);
    await eventually(
      async () => text.includes("stored by the first instance"),
      10_000,
      "the line on the other instance",
    );
    abort.abort();
  });
});
