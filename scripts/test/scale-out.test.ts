import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { postgresTestUrl, startPlatform, type TestPlatform, withPostgres } from "@hivematrix/lib/testing";

// Nine app processes and Nexus start here, and instances are killed and started again under load.
setDefaultTimeout(600_000);

/**
 * Two instances each of Core, Codex, Helm and Brainhair behind one Nexus, on PostgreSQL: `kill -9` of one
 * instance of each in turn under steady reads and idempotent writes through Nexus costs no read,
 * loses and doubles no write, and the instance started again takes traffic again.
 */
describe.skipIf(!postgresTestUrl())("several instances of each app behind one Nexus", () => {
  let platform: TestPlatform;
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    // Bearer tokens from Core's CLI: no identity provider is needed.
    const databases: Record<string, string> = {};
    for (const app of ["core", "codex", "helm", "brainhair"]) {
      const pg = await withPostgres(`hm_scale_${app}`);
      drops.push(pg.drop);
      databases[`${app.toUpperCase()}_DATABASE_URL`] = pg.url;
    }
    platform = await startPlatform({
      coreInstances: 2,
      startTimeoutMs: 90_000,
      // The readers run flat out with one session each: the failover is under test, not Nexus's rate limit.
      env: { ...databases, CODEX_DEMO_DATA: "false", NEXUS_RATE_LIMIT_PER_SESSION: "1000000" },
      apps: {
        codex: { title: "Codex", instances: 2 },
        helm: { title: "Helm", instances: 2, permission: "admin" },
        brainhair: { title: "Brainhair", instances: 2 },
        nexus: { title: "Nexus", visible: false },
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    for (const drop of drops) await drop();
  });

  test("kill -9 of one instance of each app in turn: no failed read, no lost or doubled write", async () => {
    const nexus = platform.urls.nexus!;
    const technician = { authorization: `Bearer ${await platform.token("technician")}` };
    const admin = { authorization: `Bearer ${await platform.token("admin")}` };
    const failedReads: string[] = [];
    let reads = 0;
    const written = new Map<string, number>();
    const refusedWrites: string[] = [];
    let running = true;

    const read = async (path: string, headers: Record<string, string>) => {
      try {
        const res = await fetch(`${nexus}${path}`, { headers });
        const text = await res.text();
        if (res.status === 200) reads++;
        else failedReads.push(`${path}: ${res.status} ${text.slice(0, 200)}`);
      } catch (e) {
        failedReads.push(`${path}: ${(e as Error).message}`);
      }
    };
    const readers = [0, 1].map(async () => {
      while (running) {
        await read("/codex/api/companies?limit=5", technician);
        await read("/helm/api/logs?limit=5", admin);
        await read("/brainhair/api/chats", technician);
      }
    });
    // A client that retries a create with its key until it has an answer, as an app's page would.
    const writer = (async () => {
      for (let n = 1; running; n++) {
        const key = `scale-${n}`;
        for (let attempt = 0; attempt < 20; attempt++) {
          const res = await fetch(`${nexus}/codex/api/companies`, {
            method: "POST",
            headers: { ...technician, "content-type": "application/json", "idempotency-key": key },
            body: JSON.stringify({ account_number: `SCALE-${n}`, name: `Scale ${n}` }),
          }).catch(() => null);
          await res?.arrayBuffer();
          if (res?.status === 201) {
            written.set(key, (written.get(key) ?? 0) + 1);
            break;
          }
          if (res && res.status < 500) {
            refusedWrites.push(`${key}: ${res.status}`);
            break;
          }
          await Bun.sleep(100);
        }
      }
    })();

    await Bun.sleep(1_500);
    for (const victim of ["codex", "core.2", "helm", "brainhair.2", "codex.2", "brainhair"]) {
      const before = reads;
      platform.processes.get(victim)!.proc.kill("SIGKILL");
      // Reads go on while it is down (slowly on a busy machine).
      for (let waited = 0; reads < before + 5 && waited < 60_000; waited += 100) await Bun.sleep(100);
      expect(reads, `reads go on while ${victim} is down`).toBeGreaterThanOrEqual(before + 5);
      await platform.start(victim);
      await Bun.sleep(1_500);
    }
    running = false;
    await Promise.all([...readers, writer]);

    expect(failedReads).toEqual([]);
    expect(refusedWrites).toEqual([]);
    expect(written.size).toBeGreaterThan(5);
    // Every key created its company once: as many companies as keys, each with its own number.
    const names: string[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const query = `limit=500&q=Scale${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = (await (await fetch(`${nexus}/codex/api/companies?${query}`, { headers: technician })).json()) as {
        items: { name: string }[];
        next_cursor: string | null;
      };
      names.push(...page.items.map((company) => company.name));
      cursor = page.next_cursor;
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(written.size);

    // The instances started again take requests again.
    const metrics = await (await fetch(`${nexus}/metrics`, { headers: admin })).text();
    for (const url of [platform.urls.codex, platform.urls["codex.2"]]) {
      const sent = new RegExp(
        `nexus_upstream_instance_requests_total\\{target="codex",instance="${url}"[^}]*\\} (\\d+)`,
      );
      expect(Number(sent.exec(metrics)?.[1] ?? 0), `${url} took requests`).toBeGreaterThan(0);
    }
    const before = Number(
      new RegExp(
        `nexus_upstream_instance_requests_total\\{target="codex",instance="${platform.urls.codex}"[^}]*\\} (\\d+)`,
      ).exec(metrics)?.[1],
    );
    for (let i = 0; i < 20; i++) await read("/codex/api/companies?limit=1", technician);
    const after = await (await fetch(`${nexus}/metrics`, { headers: admin })).text();
    const now = Number(
      new RegExp(
        `nexus_upstream_instance_requests_total\\{target="codex",instance="${platform.urls.codex}"[^}]*\\} (\\d+)`,
      ).exec(after)?.[1],
    );
    expect(now).toBeGreaterThan(before);
  });
});
