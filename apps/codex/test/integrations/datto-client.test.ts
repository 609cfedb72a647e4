import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { DattoClient, dattoBaseUrl } from "../../src/integrations/datto/client.ts";
import { fakeDevice, startFakeDatto, type FakeDatto } from "./fakes/datto.ts";
import { RollingQuota } from "./fakes/quota.ts";

const waits: number[] = [];
const policy = {
  retries: 2,
  baseDelayMs: 5,
  maxDelayMs: 20,
  timeoutMs: 2_000,
  sleep: async (ms: number) => void waits.push(ms),
};

let datto: FakeDatto;
let client: DattoClient;

beforeAll(async () => {
  datto = await startFakeDatto([
    {
      uid: "site-a",
      name: "Acme HQ",
      variables: [{ id: 1, name: "AccountNumber", value: "ACME-001" }],
      devices: Array.from({ length: 7 }, (_, i) => fakeDevice(`dev-a-${i}`, `ACME-PC${i}`, "site-a")),
    },
    { uid: "site-b", name: "Beta", variables: [], devices: [] },
  ]);
  client = new DattoClient({
    apiUrl: datto.url,
    apiKey: datto.apiKey,
    apiSecret: datto.apiSecret,
    policy,
    pageSize: 3,
  });
});
afterAll(() => datto.stop());
beforeEach(() => {
  datto.faults.clear();
  waits.length = 0;
});

describe("Datto RMM client", () => {
  test("gets a token once with the password grant and reuses it until it expires", async () => {
    const before = datto.tokensIssued;
    await client.sites();
    await client.siteDevices("site-a");
    expect(datto.tokensIssued - before).toBeLessThanOrEqual(1);
    expect((await client.testConnection()).detail).toContain("Fake MSP");
  });

  test("follows pageDetails.nextPageUrl through every page", async () => {
    const devices = await client.siteDevices("site-a");
    expect(devices.map((d) => d.uid)).toEqual(Array.from({ length: 7 }, (_, i) => `dev-a-${i}`));
    expect(datto.faults.count(/\/site\/site-a\/devices/)).toBe(3);
  });

  test("a token rejected early is renewed once", async () => {
    await client.sites();
    datto.revokeTokens();
    const issued = datto.tokensIssued;
    expect(await client.sites()).toHaveLength(2);
    expect(datto.tokensIssued).toBe(issued + 1);
  });

  test("a token near expiry is renewed before use", async () => {
    let now = Date.now();
    const c = new DattoClient({
      apiUrl: datto.url,
      apiKey: datto.apiKey,
      apiSecret: datto.apiSecret,
      policy,
      now: () => now,
    });
    await c.sites();
    const issued = datto.tokensIssued;
    now += 360_000 * 1000;
    await c.sites();
    expect(datto.tokensIssued).toBe(issued + 1);
  });

  test("wrong credentials are an auth error that does not repeat the secret", async () => {
    const bad = new DattoClient({ apiUrl: datto.url, apiKey: datto.apiKey, apiSecret: "nope", policy });
    const err = await bad.sites().catch((e) => e);
    expect(err.kind).toBe("auth");
    expect(err.message).not.toContain("nope");
  });

  test("429 with Retry-After is honoured; 5xx is retried then fails cleanly", async () => {
    datto.faults.add({ match: /account\/sites/, status: 429, headers: { "retry-after": "2" } });
    expect(await client.sites()).toHaveLength(2);
    expect(waits).toEqual([2000]);
    waits.length = 0;
    datto.faults.add({ match: /site-a\/devices.*page=1/, status: 502, times: Infinity });
    const err = await client.siteDevices("site-a").catch((e) => e);
    expect(err.kind).toBe("server");
    expect(err.status).toBe(502);
    expect(waits).toHaveLength(2);
  });

  test("reads and sets the AccountNumber site variable (create, update, unchanged)", async () => {
    expect(await client.siteVariable("site-a", "AccountNumber")).toBe("ACME-001");
    expect(await client.siteVariable("site-b", "AccountNumber")).toBeNull();
    expect(await client.setSiteVariable("site-b", "AccountNumber", "BETA-002")).toBe("created");
    expect(await client.siteVariable("site-b", "AccountNumber")).toBe("BETA-002");
    expect(await client.setSiteVariable("site-b", "AccountNumber", "BETA-003")).toBe("updated");
    expect(await client.setSiteVariable("site-b", "AccountNumber", "BETA-003")).toBe("unchanged");
    expect(datto.sites[1]!.variables).toEqual([expect.objectContaining({ name: "AccountNumber", value: "BETA-003" })]);
  });

  test("one device by uid; an unknown uid is null, not an error", async () => {
    expect((await client.device("dev-a-2"))!.hostname).toBe("ACME-PC2");
    expect(await client.device("missing")).toBeNull();
  });

  test("refuses a nextPageUrl on another host so the bearer token never leaves", async () => {
    datto.faults.add({
      match: /account\/sites/,
      status: 200,
      body: { pageDetails: { nextPageUrl: "https://evil.example/api/v2/account/sites?page=1" }, sites: [] },
    });
    const err = await client.sites().catch((e) => e);
    expect(err.kind).toBe("bad_response");
  });

  test("paces itself under the quota (slowing at 90%): a long read meets no 429 and no throttling", async () => {
    const devices = Array.from({ length: 60 }, (_, i) => fakeDevice(`dev-p-${i}`, `P${i}`, "site-p"));
    datto.sites.push({ uid: "site-p", name: "Paced", variables: [], devices });
    const generous = datto.quota;
    datto.quota = new RollingQuota(20, 400);
    datto.limits.throttleDelayMs = 250;
    const paced = new DattoClient({
      apiUrl: datto.url,
      apiKey: datto.apiKey,
      apiSecret: datto.apiSecret,
      pageSize: 1,
      rateLimit: { limit: 20, windowMs: 400 },
      policy: { ...policy, sleep: (ms: number) => Bun.sleep(ms) },
    });
    const before = datto.rateLimited;
    try {
      expect(await paced.siteDevices("site-p")).toHaveLength(60);
      expect(datto.rateLimited - before).toBe(0);
      // Staying at or under 90% also avoids the one-second delay Datto adds beyond it.
      expect(datto.quota.peak).toBeLessThanOrEqual(18);
    } finally {
      datto.quota = generous;
      datto.limits.throttleDelayMs = 1_000;
      datto.sites.pop();
    }
  });

  test("a 403 after 429s is a temporary IP block: waited out, then named as such, not as credentials", async () => {
    const blockWaits: number[] = [];
    const patient = new DattoClient({
      apiUrl: datto.url,
      apiKey: datto.apiKey,
      apiSecret: datto.apiSecret,
      policy: { ...policy, blockWaitMs: 120_000, sleep: async (ms: number) => void blockWaits.push(ms) },
    });
    await patient.sites();
    datto.faults.add({ match: /account\/sites/, status: 429, times: 2 });
    datto.faults.add({ match: /account\/sites/, status: 403, body: { message: "IP blocked" }, times: 2 });
    expect(await patient.sites()).toHaveLength(2);
    expect(blockWaits.filter((w) => w === 120_000)).toHaveLength(2);
    datto.faults.add({ match: /account\/sites/, status: 429 });
    datto.faults.add({ match: /account\/sites/, status: 403, times: Infinity });
    const err = await patient.sites().catch((e) => e);
    datto.faults.clear();
    expect(err.kind).toBe("rate_limited");
    expect(err.message).toContain("blocked");
    expect(err.message).not.toContain("check the credentials");
  });

  test("a 403 without a rate limit before it still means the credentials lack permission", async () => {
    const fresh = new DattoClient({ apiUrl: datto.url, apiKey: datto.apiKey, apiSecret: datto.apiSecret, policy });
    datto.faults.add({ match: /account\/sites/, status: 403 });
    const err = await fresh.sites().catch((e) => e);
    expect(err.kind).toBe("auth");
  });

  test("nulls where Datto promises nothing are accepted; only an unusable device is skipped and reported", async () => {
    datto.sites.push({
      uid: "site-n",
      name: "Nulls",
      variables: [],
      devices: [
        fakeDevice("dev-n-1", "OK-PC", "site-n"),
        fakeDevice("dev-n-2", "x", "site-n", {
          hostname: null,
          siteName: null,
          description: null,
          deviceType: null,
          online: null,
          lastSeen: null,
          antivirus: { antivirusProduct: null, antivirusStatus: null },
          udf: { udf1: null, udf7: 42 },
        }),
        fakeDevice("dev-n-3", "NO-UID", "site-n", { uid: null }),
      ],
    });
    try {
      const unusable: string[] = [];
      const devices = await client.siteDevices("site-n", (problem) => unusable.push(problem));
      expect(devices.map((d) => d.uid)).toEqual(["dev-n-1", "dev-n-2"]);
      expect(unusable).toHaveLength(1);
      expect(unusable[0]).toContain("uid");
    } finally {
      datto.sites.pop();
    }
  });

  test("the API URL must be https (http only on loopback)", () => {
    expect(dattoBaseUrl("https://merlot-api.centrastage.net/")).toBe("https://merlot-api.centrastage.net");
    expect(dattoBaseUrl("https://merlot-api.centrastage.net/api")).toBe("https://merlot-api.centrastage.net");
    expect(() => dattoBaseUrl("http://merlot-api.centrastage.net")).toThrow("https");
  });
});
