import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";

/**
 * `bun run start --dev` as a developer uses it: edit a file an app serves from, and the running
 * app answers with the change, while the identity provider and the data stay up. It runs in a
 * copy of the repository, so editing a file there touches nothing of this one.
 */

function cloneRepo(): string {
  const copy = tempHome("hm-dev-reload-");
  const files = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: REPO_ROOT }).stdout.toString();
  const tar = Bun.spawnSync(["sh", "-c", `tar -cf - -T - | tar -xf - -C ${copy}`], {
    cwd: REPO_ROOT,
    stdin: new TextEncoder().encode(files),
  });
  if (tar.exitCode !== 0) throw new Error(tar.stderr.toString());
  const install = Bun.spawnSync(["bun", "install", "--frozen-lockfile"], { cwd: copy, stdout: "pipe", stderr: "pipe" });
  if (install.exitCode !== 0) throw new Error(install.stderr.toString());
  return copy;
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(200);
  }
}

describe("bun run start --dev", () => {
  let repo: string;
  let start: ReturnType<typeof Bun.spawn>;
  let output = "";
  const ports = { core: 0, idp: 0 };
  let env: Record<string, string>;

  beforeAll(async () => {
    repo = cloneRepo();
    ports.core = await freePort();
    ports.idp = await freePort();
    const home = tempHome();
    env = {
      HIVEMATRIX_HOME: home,
      HIVEMATRIX_SERVICES: writeServicesFile(home, { core: { port: ports.core, visible: false } }),
      KEYCLOAK_URL: `http://127.0.0.1:${ports.idp}`,
      NO_COLOR: "1",
      LOG_LEVEL: "warn",
    };
    start = Bun.spawn(["bun", join(repo, "scripts/start.ts"), "--dev"], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    for (const stream of [start.stdout, start.stderr] as ReadableStream<Uint8Array>[])
      void (async () => {
        const decoder = new TextDecoder();
        const reader = stream.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) output += decoder.decode(r.value);
      })();
    await until("the platform to start", async () => (output.includes("Press Ctrl-C to stop.") ? true : null), 90_000);
  }, 180_000);

  afterAll(async () => {
    start?.kill("SIGTERM");
    await start?.exited;
  }, 30_000);

  test("an edited file is served without a restart; the identity provider and sessions stay up", async () => {
    expect(output).toContain("--dev: each app reloads when its files or lib's change");
    const health = async (url: string) => (await fetch(`${url}/health`)).json() as Promise<Record<string, unknown>>;
    const core = `http://127.0.0.1:${ports.core}`;
    const idp = `http://127.0.0.1:${ports.idp}`;
    const token = Bun.spawnSync(["bun", join(repo, "apps/core/src/cli/token.ts")], {
      cwd: repo,
      env: { ...process.env, ...env },
    })
      .stdout.toString()
      .trim();
    const valid = async () =>
      (
        (await (
          await fetch(`${core}/api/token/validate`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ token }),
          })
        ).json()) as { valid: boolean }
      ).valid;
    expect(await valid()).toBe(true);
    const idpBefore = await health(idp);
    expect((await health(core)).version).toBe("1.0.0");

    const served = join(repo, "lib/src/version.ts");
    const source = readFileSync(served, "utf8");
    expect(source).toContain("= rootPackage.version;");
    writeFileSync(served, source.replace("= rootPackage.version;", '= "1.0.0-edited";'));

    await until("Core to serve the edit", async () => ((await health(core)).version === "1.0.0-edited" ? true : null));
    expect(await valid()).toBe(true);
    const idpAfter = await health(idp);
    expect(Number(idpAfter.uptime_s)).toBeGreaterThanOrEqual(Number(idpBefore.uptime_s));
    const units = (await (
      await fetch("http://supervisor/services", { unix: join(env.HIVEMATRIX_HOME!, "run", "supervisor.sock") })
    ).json()) as { services: { name: string; status: string; restarts: number; pid: number }[] };
    expect(units.services.map((u) => [u.name, u.status, u.restarts])).toEqual([
      ["idp", "running", 0],
      ["core", "running", 0],
    ]);
    // Only the apps are watched: the identity provider keeps running as it was started.
    const watching = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("--watch");
    expect(units.services.map((u) => [u.name, watching(u.pid)])).toEqual([
      ["idp", false],
      ["core", true],
    ]);
  }, 120_000);
});
