import { afterAll, describe, expect, test } from "bun:test";
import { count } from "drizzle-orm";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, startProcess, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { openCodexDb } from "../src/deps.ts";

/**
 * Demo data is for development: a fresh database gets it on Codex's first start unless
 * HIVEMATRIX_ENV=production or CODEX_DEMO_DATA=false (`bun run start --no-demo`).
 */
async function platform() {
  const home = tempHome("hm-codex-demo-");
  const port = await freePort();
  const services = writeServicesFile(home, { core: { port: await freePort() }, codex: { port } });
  return { home, url: `http://127.0.0.1:${port}`, env: { HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: services } };
}

async function companies(home: string): Promise<number> {
  const h = await openCodexDb({ databaseUrl: null, sqlitePath: join(home, "data", "codex.db") });
  try {
    return Number((await h.db.select({ n: count() }).from(h.t.companies))[0]!.n);
  } finally {
    await h.close();
  }
}

async function runCodex(env: Record<string, string>, p?: Awaited<ReturnType<typeof platform>>) {
  const where = p ?? (await platform());
  const codex = await startProcess({
    name: "codex",
    entry: "apps/codex/src/main.ts",
    env: { ...where.env, ...env },
    url: where.url,
  });
  await codex.stop();
  return { where, home: where.home, output: codex.output() };
}

async function exitOf(cmd: string[], env: Record<string, string>) {
  const proc = Bun.spawn(cmd, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
  return { code: await proc.exited, output: out + err };
}

describe("demo data on Codex's first start", () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  test("development: the demo MSP, once", async () => {
    const first = await runCodex({ HIVEMATRIX_ENV: "development" });
    expect(first.output).toContain("first start: added demo data");
    expect(await companies(first.home)).toBe(25);
    const again = await runCodex({ HIVEMATRIX_ENV: "development" }, first.where);
    expect(again.output).not.toContain("first start");
    expect(await companies(first.home)).toBe(25);
  }, 60_000);

  test("production: none, and the log says why", async () => {
    const { home, output } = await runCodex({ HIVEMATRIX_ENV: "production" });
    expect(output).toContain("first start: no demo data (HIVEMATRIX_ENV=production)");
    expect(await companies(home)).toBe(0);
  }, 60_000);

  test("CODEX_DEMO_DATA=false: none", async () => {
    const { home } = await runCodex({ HIVEMATRIX_ENV: "development", CODEX_DEMO_DATA: "false" });
    expect(await companies(home)).toBe(0);
  }, 60_000);

  test("asking for demo data in production, or a setting that is not a boolean, stops Codex with the variable named", async () => {
    for (const env of [
      { HIVEMATRIX_ENV: "production", CODEX_DEMO_DATA: "true" },
      { HIVEMATRIX_ENV: "development", CODEX_DEMO_DATA: "yes please" },
    ]) {
      const p = await platform();
      const run = await exitOf(["bun", "apps/codex/src/main.ts"], { ...p.env, ...env });
      expect([run.code, run.output]).toEqual([1, expect.stringContaining("configuration error: CODEX_DEMO_DATA")]);
      expect(run.output).not.toContain("    at ");
    }
  }, 60_000);

  test("`bun run seed` refuses a production database", async () => {
    const p = await platform();
    const run = await exitOf(["bun", "apps/codex/src/seed/cli.ts"], { ...p.env, HIVEMATRIX_ENV: "production" });
    expect([run.code, run.output]).toEqual([1, expect.stringContaining("never added to a production database")]);
    expect(await companies(p.home)).toBe(0);
  }, 60_000);

  test("`bun run start --no-demo` starts Codex without demo data", async () => {
    const p = await platform();
    const proc = Bun.spawn(["bun", "scripts/start.ts", "--only", "codex", "--no-demo"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...p.env, HIVEMATRIX_ENV: "development", CODEX_DEMO_DATA: "" },
      stdout: "pipe",
      stderr: "pipe",
    });
    stops.push(async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await proc.exited;
    });
    let out = "";
    const reader = proc.stdout.getReader();
    const decoder = new TextDecoder();
    const deadline = Date.now() + 45_000;
    // Codex answers /health before it has decided about demo data (it listens at once, then migrates): wait for both.
    const seen = () => out.includes("codex is up") && out.includes("no demo data");
    // One read at a time: a read still pending when the second is up must not be replaced (its chunk would be lost).
    let pending: ReturnType<typeof reader.read> | null = null;
    while (!seen() && proc.exitCode === null && Date.now() < deadline) {
      pending ??= reader.read();
      const chunk = await Promise.race([pending, Bun.sleep(1000).then(() => null)]);
      if (!chunk) continue;
      pending = null;
      if (chunk.done) break;
      out += decoder.decode(chunk.value);
    }
    expect(out).toContain("codex is up");
    proc.kill("SIGTERM");
    await proc.exited;
    expect(out).toContain("no demo data (CODEX_DEMO_DATA=false");
    expect(await companies(p.home)).toBe(0);
  }, 60_000);
});
