import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { appConfigFrom, loadPlatformConfig, REPO_ROOT } from "@hivematrix/lib/config";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { openCodexDb } from "../../src/deps.ts";
import { codexApi, type TokenSource } from "../../src/integrations/cli/codex-api.ts";
import { runSyncCommand, USAGE } from "../../src/integrations/cli/sync-command.ts";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { readSettings, writeSettings } from "../../src/integrations/settings.ts";
import { startIntegrationsApp, waitForJob, type IntegrationsApp } from "./app-harness.ts";
import { startFakeFreshservice, type FakeFreshservice } from "./fakes/freshservice.ts";
import { configureFreshservice } from "./setup.ts";

// The last test starts Core and Codex as real processes.
setDefaultTimeout(60_000);

const recently = new Date(Date.now() - 3600_000).toISOString();

function freshservice(account: string) {
  return startFakeFreshservice({
    departments: [{ id: 11, name: "Acme", custom_fields: { account_number: account } }],
    requesters: [{ id: 100, first_name: "Ann", primary_email: "ann@acme.example", department_ids: [11] }],
    tickets: Array.from({ length: 6 }, (_, i) => ({
      id: 4001 + i,
      subject: `Ticket ${i}`,
      status: 2,
      priority: 2,
      department_id: 11,
      created_at: recently,
      updated_at: recently,
    })),
  });
}

describe("bun run sync against Codex's API", () => {
  let app: IntegrationsApp;
  let fs: FakeFreshservice;
  let server: ReturnType<typeof Bun.serve>;
  const adminTokens: TokenSource = { token: () => app.token("admin"), renew: () => app.token("admin") };
  const run = async (args: string[], follow = false, tokens = adminTokens) => {
    const lines: string[] = [];
    const code = await runSyncCommand({
      args,
      follow,
      api: codexApi(`http://127.0.0.1:${server.port}`, tokens),
      print: (line) => lines.push(line),
      sleep: (ms) => Bun.sleep(ms),
      pollMs: 10,
      quietMs: 60_000,
    });
    return { code, lines };
  };

  beforeAll(async () => {
    app = await startIntegrationsApp("sqlite");
    fs = await freshservice("ACME-001");
    await configureFreshservice(app.integrations.ctx, fs);
    server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.handle });
  });
  afterAll(async () => {
    server.stop(true);
    await app.stop();
    await fs.stop();
  });

  test("starts a sync and follows it to the end, printing its progress and what it did", async () => {
    expect((await run(["psa"], true)).code).toBe(0);
    fs.faults.add({ match: /\/tickets\/\d+\?/, delayMs: 40, times: 6 });
    const { code, lines } = await run(["tickets-full"], true);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^started tickets-full sync: job [0-9a-f-]{36}$/);
    expect(lines.some((l) => l.startsWith("running · reading tickets") && l.includes("requests"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^succeeded in [\d.]+ s: .*tickets created: 6/);
  });

  test("without --follow it starts and says how to follow; status shows a run", async () => {
    const { code, lines } = await run(["tickets"]);
    expect(code).toBe(0);
    const id = /job (\S+)$/.exec(lines[0]!)![1]!;
    expect(lines[1]).toBe(`follow it: bun run sync status ${id} --follow`);
    await waitForJob(app, id);
    const status = await run(["status", id]);
    expect(status.code).toBe(0);
    expect(status.lines[0]).toStartWith("succeeded");
  });

  test("a kind already running is followed instead of started twice", async () => {
    fs.faults.add({ match: /requesters/, delayMs: 300 });
    const res = await app.fetch("admin", "POST", "/sync/psa");
    const running = ((await res.json()) as { job_id: string }).job_id;
    const { code, lines } = await run(["psa"], true);
    expect(code).toBe(0);
    expect(lines[0]).toContain("already running");
    expect(lines[0]).toContain(running);
    expect(lines.at(-1)).toStartWith("succeeded");
    fs.faults.add({ match: /requesters/, delayMs: 300 });
    await app.fetch("admin", "POST", "/sync/psa");
    const unfollowed = await run(["psa"]);
    expect(unfollowed.code).toBe(1);
    expect(unfollowed.lines[1]).toMatch(/^follow it: bun run sync status \S+ --follow$/);
    await Bun.sleep(400);
  });

  test("a failed run ends the command with its error and exit code 1", async () => {
    fs.faults.add({ match: /requesters/, status: 500, times: Infinity });
    const { code, lines } = await run(["psa"], true);
    fs.faults.clear();
    expect(code).toBe(1);
    expect(lines.at(-1)).toContain("failed");
    expect(lines.at(-1)).toContain("500");
  });

  test("a token Codex refuses is renewed once; bad arguments print the usage", async () => {
    const expiring: TokenSource = { token: async () => "not-a-jwt", renew: () => app.token("admin") };
    expect((await run(["tickets"], true, expiring)).code).toBe(0);
    for (const args of [[], ["nope"], ["psa", "extra"], ["status"]])
      expect(await run(args)).toEqual({ code: 2, lines: [USAGE] });
  });
});

describe("bun run sync as a terminal runs it", () => {
  let platform: TestPlatform;
  let fs: FakeFreshservice;

  beforeAll(async () => {
    platform = await startPlatform({ apps: { codex: { title: "Codex", visible: true, start: false } } });
    fs = await freshservice("CLI-001");
    // Codex reads its settings from its database and its key from secrets/, as the admin page writes them.
    const db = await openCodexDb(appConfigFrom(loadPlatformConfig(platform.env), "codex", platform.env));
    const current = await readSettings(db, "freshservice");
    await writeSettings(
      db,
      "freshservice",
      { enabled: true, settings: { ...current.settings, domain: fs.url } },
      "test",
    );
    await db.close();
    saveIntegrationSecret(platform.home, SECRET_NAMES.freshserviceApiKey, fs.apiKey);
    await platform.start("codex");
  });
  afterAll(async () => {
    await platform.stop();
    await fs.stop();
  });

  const cli = async (...args: string[]) => {
    const proc = Bun.spawn(["bun", "run", "--silent", "sync", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...platform.env, HIVEMATRIX_TOKEN: "" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
    return { code: await proc.exited, out, err };
  };

  test("mints its token with bun run token, reaches Codex on loopback and follows the run", async () => {
    const { code, out, err } = await cli("psa", "--follow");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^started psa sync: job \S+\n/);
    expect(out).toMatch(/\nsucceeded in [\d.]+ s: .*companies created: 1/);
    const usage = await cli("nope");
    expect(usage.code).toBe(2);
    expect(usage.out).toContain("usage: bun run sync");
  });
});
