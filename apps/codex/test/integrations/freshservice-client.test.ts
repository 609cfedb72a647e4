import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { FreshserviceClient, freshserviceBaseUrl } from "../../src/integrations/freshservice/client.ts";
import { IntegrationError } from "../../src/integrations/http.ts";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { RollingQuota } from "./fakes/quota.ts";

const waits: number[] = [];
const policy = {
  retries: 3,
  baseDelayMs: 5,
  maxDelayMs: 20,
  timeoutMs: 2_000,
  sleep: async (ms: number) => void waits.push(ms),
};

function ticket(id: number, day: string, extra: Partial<FakeTicket> = {}): FakeTicket {
  return {
    id,
    subject: `Ticket ${id}`,
    status: 2,
    priority: 2,
    created_at: `${day}T10:00:00Z`,
    updated_at: `${day}T11:00:00Z`,
    ...extra,
  };
}

let fs: FakeFreshservice;
let client: FreshserviceClient;

beforeAll(async () => {
  fs = await startFakeFreshservice({
    departments: Array.from({ length: 250 }, (_, i) => ({
      id: i + 1,
      name: `Dept ${i + 1}`,
      custom_fields: { account_number: `A${i + 1}` },
    })),
    agents: [{ id: 1, first_name: "Ann", last_name: "Agent", email: "ann@msp.example", active: true }],
  });
  client = new FreshserviceClient({ domain: fs.url, apiKey: fs.apiKey, policy });
});
afterAll(() => fs.stop());
beforeEach(() => {
  fs.faults.clear();
  waits.length = 0;
});

describe("Freshservice client", () => {
  test("reads every page of a list by following the Link header", async () => {
    const departments = await client.departments();
    expect(departments).toHaveLength(250);
    expect(departments.at(-1)!.custom_fields!.account_number).toBe("A250");
    expect(fs.faults.count(/^\/api\/v2\/departments/)).toBe(3);
  });

  test("sends the API key as Basic user with X as password; a wrong key is an auth error", async () => {
    const bad = new FreshserviceClient({ domain: fs.url, apiKey: "wrong", policy });
    const err = await bad.testConnection().catch((e) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err.kind).toBe("auth");
    expect(err.message).toContain("check the credentials");
    expect(err.message).not.toContain("wrong");
    expect((await client.testConnection()).ok).toBe(true);
  });

  test("honours Retry-After on 429 and then succeeds", async () => {
    fs.faults.add({ match: /departments\?page=2/, status: 429, headers: { "retry-after": "7" }, times: 2 });
    const departments = await client.departments();
    expect(departments).toHaveLength(250);
    expect(waits).toEqual([7000, 7000]);
    expect(fs.faults.count(/departments\?page=2/)).toBe(3);
  });

  test("429s have their own retry budget, so a long sync under a quota keeps waiting; then it gives up clearly", async () => {
    const patient = new FreshserviceClient({
      domain: fs.url,
      apiKey: fs.apiKey,
      policy: { ...policy, retries: 1, rateLimitRetries: 5 },
    });
    fs.faults.add({ match: /agents/, status: 429, headers: { "retry-after": "1" }, times: 5 });
    expect(await patient.agents()).toHaveLength(1);
    expect(waits).toEqual([1000, 1000, 1000, 1000, 1000]);
    fs.faults.add({ match: /agents/, status: 429, times: 6 });
    const err = await patient.agents().catch((e) => e);
    expect(err.kind).toBe("rate_limited");
    expect(err.message).toContain("gave up after 5 waits");
  });

  test("a Retry-After longer than the policy allows fails at once instead of stalling", async () => {
    const impatient = new FreshserviceClient({
      domain: fs.url,
      apiKey: fs.apiKey,
      policy: { ...policy, maxRetryAfterMs: 60_000 },
    });
    fs.faults.add({ match: /agents/, status: 429, headers: { "retry-after": "7200" } });
    const err = await impatient.agents().catch((e) => e);
    expect(err.kind).toBe("rate_limited");
    expect(waits).toEqual([]);
  });

  test("retries 5xx with backoff, then fails cleanly with the status and no partial result", async () => {
    fs.faults.add({ match: /departments\?page=3/, status: 503, body: { message: "maintenance" }, times: Infinity });
    const err = await client.departments().catch((e) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err.kind).toBe("server");
    expect(err.status).toBe(503);
    expect(err.message).toContain("maintenance");
    expect(fs.faults.count(/departments\?page=3/)).toBe(4);
    expect(waits).toHaveLength(3);
    expect(waits.every((w) => w > 0 && w <= 20)).toBe(true);
  });

  test("a timeout is retried and reported as a timeout", async () => {
    const slow = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Promise<Response>((r) => setTimeout(() => r(Response.json({ agents: [] })), 500)),
    });
    try {
      const c = new FreshserviceClient({
        domain: `http://127.0.0.1:${slow.port}`,
        apiKey: "k",
        policy: { ...policy, retries: 1, timeoutMs: 50 },
      });
      const err = await c.agents().catch((e) => e);
      expect(err.kind).toBe("timeout");
      expect(waits).toHaveLength(1);
    } finally {
      slow.stop(true);
    }
  });

  test("lists tickets updated since a time through GET /tickets, 100 a page, past any 300-ticket ceiling", async () => {
    fs.data.tickets = [];
    // A busy day: 420 tickets updated on one date, more than one /tickets/filter query could return.
    for (let i = 0; i < 420; i++) fs.data.tickets.push(ticket(i + 1, "2025-03-03"));
    for (let i = 0; i < 30; i++) fs.data.tickets.push(ticket(1000 + i, "2025-02-01"));
    const got = await client.ticketsUpdatedSince(new Date("2025-03-01T00:00:00Z"));
    expect(got).toHaveLength(420);
    expect(new Set(got.map((t) => t.id)).size).toBe(420);
    const lists = fs.faults.log.filter((l) => l.path.startsWith("/api/v2/tickets?"));
    expect(lists).toHaveLength(5);
    expect(lists[0]!.path).toContain("updated_since=2025-03-01T00:00:00.000Z");
    expect(lists[0]!.path).toContain("per_page=100");
    expect(fs.faults.count(/tickets\/filter/)).toBe(0);
  });

  test("a Link header to another host is not followed: the API key stays with Freshservice", async () => {
    let asked = 0;
    const spy = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => {
        asked++;
        return Response.json({ departments: [] });
      },
    });
    try {
      fs.faults.add({
        match: /departments/,
        status: 200,
        body: { departments: [{ id: 1, name: "First" }] },
        headers: { link: `<http://127.0.0.1:${spy.port}/api/v2/departments?page=2>; rel="next"` },
      });
      const err = await client.departments().catch((e) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(err.kind).toBe("bad_response");
      expect(err.message).toContain("another host");
      expect(asked).toBe(0);
    } finally {
      spy.stop(true);
    }
  });

  test("a long Retry-After (legacy hourly limits) is waited out, not failed", async () => {
    fs.faults.add({ match: /agents/, status: 429, headers: { "retry-after": "1521" } });
    expect(await client.agents()).toHaveLength(1);
    expect(waits).toContain(1_521_000);
  });

  test("requests are paced on X-RateLimit-Remaining, so a long listing meets no 429", async () => {
    const paced = new FreshserviceClient({
      domain: fs.url,
      apiKey: fs.apiKey,
      perPage: 5,
      rateWindowMs: 300,
      policy: { ...policy, sleep: (ms: number) => Bun.sleep(ms) },
    });
    const generous = fs.quota;
    fs.quota = new RollingQuota(20, 300);
    const before = fs.rateLimited;
    try {
      expect(await paced.departments()).toHaveLength(250);
      expect(fs.rateLimited - before).toBe(0);
      expect(fs.quota.peak).toBeLessThanOrEqual(20);
    } finally {
      fs.quota = generous;
    }
  });

  test("ticket detail reads stats, every conversation beyond the embedded ten, and time entries", async () => {
    fs.data.tickets = [
      ticket(77, "2025-05-05", {
        stats: { first_responded_at: "2025-05-05T10:30:00Z" },
        conversations: Array.from({ length: 14 }, (_, i) => ({
          id: 500 + i,
          body_text: `msg ${i}`,
          private: i % 2 === 1,
          incoming: i === 0,
          created_at: "2025-05-05T12:00:00Z",
        })),
        time_entries: [{ id: 9, time_spent: "01:30", agent_id: 1 }],
      }),
    ];
    const t = await client.ticket(77);
    expect(t!.conversations).toHaveLength(14);
    expect(t!.stats!.first_responded_at).toBe("2025-05-05T10:30:00Z");
    expect(await client.timeEntries(77)).toEqual([expect.objectContaining({ id: 9, time_spent: "01:30" })]);
    expect(await client.ticket(12345)).toBeNull();
  });

  test("a malformed answer is a clear bad_response error", async () => {
    fs.faults.add({ match: /agents/, status: 200, body: { agents: [{ id: "not-a-number" }] } });
    const err = await client.agents().catch((e) => e);
    expect(err.kind).toBe("bad_response");
    expect(err.message).toContain("agents.0.id");
  });

  test("the domain must be a Freshservice host or https; http only on loopback", () => {
    expect(freshserviceBaseUrl("acme.freshservice.com")).toBe("https://acme.freshservice.com/api/v2");
    expect(freshserviceBaseUrl("http://127.0.0.1:9/api/v2")).toBe("http://127.0.0.1:9/api/v2");
    expect(() => freshserviceBaseUrl("http://evil.example")).toThrow("https");
    expect(() => freshserviceBaseUrl("not a host")).toThrow();
  });
});
