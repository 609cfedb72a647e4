import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { RollingQuota } from "./fakes/quota.ts";
import { configureFreshservice, testContext, type TestContext } from "./setup.ts";

/**
 * The bar: a full sync of 20,000 tickets across 3 workspaces completes against the fake,
 * paced under the account's quota, with no 429 storm. The quota's window is shrunk from a minute
 * so the run takes seconds; the limit is set below what the sync could do unpaced, so pacing
 * really happens. SQLite only: the point is the provider side, and the machine is shared.
 */
const TICKETS = 20_000;
const WINDOW_MS = 1_000;
/** Credits a window: a ticket costs 4 (its view embeds conversations and stats, plus its time entries). */
const LIMIT = Number(process.env.LOAD_TEST_LIMIT ?? 2_000);

setDefaultTimeout(240_000);

function tickets(): FakeTicket[] {
  const created = new Date(Date.now() - 90 * 86_400_000).toISOString();
  return Array.from({ length: TICKETS }, (_, i) => ({
    id: 100_000 + i,
    subject: `Load ticket ${i}`,
    status: 2 + (i % 4),
    priority: 1 + (i % 4),
    workspace_id: 1 + (i % 3),
    created_at: created,
    updated_at: new Date(Date.now() - (TICKETS - i) * 1000).toISOString(),
    conversations: [{ id: 5_000_000 + i, body_text: `Reply ${i}`, incoming: true, created_at: created }],
    time_entries: i % 4 === 0 ? [{ id: 9_000_000 + i, time_spent: "00:30", executed_at: created }] : [],
  }));
}

describe("full ticket sync under load", () => {
  let t: TestContext;
  let fs: FakeFreshservice;

  beforeAll(async () => {
    t = await testContext("sqlite");
    t.ctx.policy = { retries: 2, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 10_000, sleep: (ms) => Bun.sleep(ms) };
    t.ctx.rateWindowMs = WINDOW_MS;
    fs = await startFakeFreshservice({
      workspaces: [
        { id: 1, name: "Acme", state: "active" },
        { id: 2, name: "Beta", state: "active" },
        { id: 3, name: "Gamma", state: "active" },
      ],
      tickets: tickets(),
    });
    fs.quota = new RollingQuota(LIMIT, WINDOW_MS);
    await configureFreshservice(t.ctx, fs, {
      companiesFrom: "workspaces",
      clients: { "1": "ACME-001", "2": "BETA-002", "3": "GAMMA-003" },
      historyStart: "2020-01-01",
    });
    expect((await (await t.integrations.start("psa", "admin")).done).status).toBe("succeeded");
  });
  afterAll(async () => {
    await t.close();
    await fs.stop();
  });

  test("20,000 tickets in 3 workspaces: every one written, paced under the quota, no 429 storm", async () => {
    const requestsBefore = fs.faults.log.length;
    const started = performance.now();
    const job = await (await t.integrations.start("tickets_full", "admin")).done;
    const seconds = (performance.now() - started) / 1000;
    const requests = fs.faults.log.length - requestsBefore;
    console.log(
      JSON.stringify({
        seconds: Math.round(seconds * 10) / 10,
        requests,
        pacing_waits: job.counts.pacing_waits ?? 0,
        rate_limit_waits: job.counts.rate_limit_waits ?? 0,
        waited_seconds: job.counts.waited_seconds ?? 0,
        responses_429: fs.rateLimited,
        peak_credits_in_window: fs.quota.peak,
        limit: LIMIT,
        window_ms: WINDOW_MS,
      }),
    );
    expect(job.error).toBeNull();
    expect(job.counts.tickets_listed).toBe(TICKETS);
    expect(job.counts.tickets_created).toBe(TICKETS);
    expect(await t.h.db.db.$count(t.h.db.t.tickets)).toBe(TICKETS);
    expect(fs.rateLimited).toBe(0);
    expect(fs.quota.peak).toBeLessThanOrEqual(LIMIT);
    expect(job.counts.pacing_waits).toBeGreaterThan(0);
    expect(job.counts.requests_sent).toBe(requests);
  });
});
