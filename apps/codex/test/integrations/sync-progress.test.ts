import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startIntegrationsApp, waitForJob, type IntegrationsApp } from "./app-harness.ts";
import { startFakeFreshservice, type FakeFreshservice } from "./fakes/freshservice.ts";
import { configureFreshservice, FAST_POLICY } from "./setup.ts";

const recently = new Date(Date.now() - 3600_000).toISOString();

describe("sync progress", () => {
  let app: IntegrationsApp;
  let fs: FakeFreshservice;

  beforeAll(async () => {
    app = await startIntegrationsApp("sqlite");
    fs = await startFakeFreshservice({
      departments: [{ id: 11, name: "Acme", custom_fields: { account_number: "ACME-001" } }],
      tickets: Array.from({ length: 5 }, (_, i) => ({
        id: 9001 + i,
        subject: `Ticket ${i}`,
        status: 2,
        priority: 2,
        department_id: 11,
        created_at: recently,
        updated_at: recently,
      })),
    });
    await configureFreshservice(app.integrations.ctx, fs);
  });
  afterAll(async () => {
    await app.stop();
    await fs.stop();
  });

  test("item 8: a sync told to wait 25 minutes waits, showing why and until when, then finishes", async () => {
    let release = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    const slept: number[] = [];
    app.integrations.ctx.policy = {
      ...FAST_POLICY,
      sleep: async (ms: number) => {
        slept.push(ms);
        if (ms >= 60_000) await released;
      },
    };
    const psa = await app.fetch("admin", "POST", "/sync/psa");
    await waitForJob(app, ((await psa.json()) as { job_id: string }).job_id);
    // A legacy account on hourly limits answers the third ticket read with a 1,521 s Retry-After.
    fs.faults.add({ match: /tickets\/9003\?/, status: 429, headers: { "retry-after": "1521" } });
    const started = (await (await app.fetch("admin", "POST", "/sync/tickets/full-history")).json()) as {
      job_id: string;
    };
    let job: { status: string; progress: Record<string, unknown> | null } | null = null;
    for (let i = 0; i < 200; i++) {
      job = (await (await app.fetch("admin", "GET", `/sync/status/${started.job_id}`)).json()) as typeof job;
      if (job!.progress?.waiting) break;
      await Bun.sleep(20);
    }
    expect(job!.status).toBe("running");
    const progress = job!.progress as {
      waiting: { reason: string; until: string };
      requests: number;
      pages: number;
      items_written: number;
    };
    expect(progress.waiting.reason).toContain("rate limit");
    expect(Date.parse(progress.waiting.until) - Date.now()).toBeGreaterThan(1_500_000);
    expect(progress.requests).toBeGreaterThan(0);
    expect(progress.pages).toBeGreaterThan(0);
    const page = await (
      await app.fetch("admin", "GET", "/admin/integrations", { headers: { accept: "text/html" } })
    ).text();
    expect(page).toContain("Waiting until");
    expect(page).toContain("rate limit");
    release();
    const done = (await waitForJob(app, started.job_id)) as {
      status: string;
      counts: Record<string, number>;
      progress: Record<string, unknown> | null;
    };
    expect(done.status).toBe("succeeded");
    expect(done.counts.tickets_created).toBe(5);
    expect(done.counts.rate_limit_waits).toBe(1);
    expect(done.counts.waited_seconds).toBeGreaterThanOrEqual(1521);
    expect(slept).toContain(1_521_000);
    expect(done.progress).toMatchObject({ waiting: null, items_written: 5 });
  });
});
