import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { SQL } from "bun";
import { postgresTestUrl, type TestPlatform, withPostgres } from "@hivematrix/lib/testing";
import { bearer, eventually, line, serviceClient, startHelmPlatform } from "./harness.ts";

// Core and two Helm instances start here, each migrating its PostgreSQL database.
setDefaultTimeout(90_000);

/**
 * Two Helm instances on one PostgreSQL database: a live tail shows lines whichever instance stored
 * them, and one instance scrapes the apps' metrics while both show its points.
 */
describe.skipIf(!postgresTestUrl())("Helm's live tail and metrics across instances", () => {
  let platform: TestPlatform;
  let drop = async () => {};
  let databaseUrl = "";

  beforeAll(async () => {
    const pg = await withPostgres("hm_helm_two");
    drop = pg.drop;
    databaseUrl = pg.url;
    platform = await startHelmPlatform({
      callers: ["probe"],
      apps: { helm: { permission: "admin", instances: 2 } },
      env: { HELM_DATABASE_URL: pg.url, HELM_SCRAPE_INTERVAL_SECONDS: "1" },
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

  test("one instance scrapes: a point per interval in the database, not two; both instances show them", async () => {
    const admin = bearer(await platform.token("admin"));
    const corePoints = async (url: string) => {
      const res = await fetch(`${url}/api/metrics`, { headers: admin });
      const body = (await res.json()) as { services: { service: string; points: { at: string }[] }[] };
      return body.services.find((entry) => entry.service === "core")?.points.map((point) => point.at) ?? [];
    };
    await eventually(async () => (await corePoints(platform.urls.helm!)).length >= 2, 20_000, "points on helm");
    await Bun.sleep(5_000);
    const sql = new SQL(databaseUrl);
    try {
      const rows: { at: Date }[] = await sql`SELECT at FROM metric_points WHERE service = 'core' ORDER BY at`;
      const spanSeconds = (rows.at(-1)!.at.getTime() - rows[0]!.at.getTime()) / 1000;
      // Two scrapers would save about two points a second.
      expect(rows.length).toBeLessThanOrEqual(Math.ceil(spanSeconds) + 2);
    } finally {
      await sql.close();
    }
    // The instance that does not scrape shows the points the other saved (read back every interval).
    await eventually(
      async () => {
        const [first, second] = [await corePoints(platform.urls.helm!), await corePoints(platform.urls["helm.2"]!)];
        return second.length >= 2 && first.includes(second.at(-1)!);
      },
      10_000,
      "the scraping instance's points on the other",
    );
  });
});
