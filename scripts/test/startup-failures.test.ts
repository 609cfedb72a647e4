import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, postgresTestUrl, tempHome, writeServicesFile } from "@hivematrix/lib/testing";

/**
 * Start-up failures that no waiting can fix, as an operator meets them: `bun run start` and an
 * app's own start print one line naming what to fix, never a stack, and exit 1.
 */

const STACK_FRAME = /^\s+at /m;

async function run(entry: string, env: Record<string, string>, args: string[] = [], asUser?: number) {
  const command = ["bun", join(REPO_ROOT, entry), ...args];
  // As root every folder is writable, so an unwritable home is met as an ordinary user.
  const argv =
    asUser === undefined
      ? command
      : ["setpriv", `--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", ...command];
  const proc = Bun.spawn(argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", LOG_LEVEL: "warn", ...env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, out, err, lines: `${out}${err}`.split("\n").filter(Boolean) };
}

async function platform() {
  const home = tempHome();
  const services = writeServicesFile(home, {
    core: { port: await freePort(), visible: false },
    nexus: { port: await freePort(), visible: false },
  });
  return { home, env: { HIVEMATRIX_SERVICES: services, KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}` } };
}

describe("bun run start stops with one line", () => {
  test("when HIVEMATRIX_HOME is a file", async () => {
    const { home, env } = await platform();
    const file = join(home, "not-a-folder");
    writeFileSync(file, "");
    const r = await run("scripts/start.ts", { ...env, HIVEMATRIX_HOME: file });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      `configuration error: HIVEMATRIX_HOME=${file} is a file, not a folder: move it away or set HIVEMATRIX_HOME`,
    ]);
  });

  test("when HIVEMATRIX_HOME cannot be written by this user", async () => {
    const { home, env } = await platform();
    const locked = join(home, "locked");
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(locked, process.getuid?.() === 0 ? 0o755 : 0o500);
    chmodSync(home, 0o755);
    const target = join(locked, "home");
    const r = await run(
      "scripts/start.ts",
      { ...env, HIVEMATRIX_HOME: target },
      [],
      process.getuid?.() === 0 ? 65534 : undefined,
    );
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      `configuration error: HIVEMATRIX_HOME=${target} cannot be used by this user (EACCES on ${target}): give it a folder this user owns and may write`,
    ]);
  });

  test("when a supervisor setting is out of range", async () => {
    const { home, env } = await platform();
    const r = await run("scripts/start.ts", { ...env, HIVEMATRIX_HOME: home, HIVEMATRIX_LOG_FILE_MAX_MB: "0" });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'configuration error: HIVEMATRIX_LOG_FILE_MAX_MB must be a whole number from 1 to 100000 (got "0")',
    ]);
  });

  test("when an app's database URL is malformed, naming the variable", async () => {
    const { home, env } = await platform();
    const r = await run(
      "scripts/start.ts",
      { ...env, HIVEMATRIX_HOME: home, CORE_DATABASE_URL: "postgres://u:p@db:port/x" },
      ["--only", "core"],
    );
    expect(r.code).toBe(1);
    expect(`${r.out}${r.err}`).not.toMatch(STACK_FRAME);
    const problem =
      'configuration error: CORE_DATABASE_URL must be a URL like postgres://user:password@host:5432/database; it is not a valid URL (a port that is not a number, or a character that needs %-escaping?) (got "postgres://u:***@db:port/x")';
    // The app's own line, then the supervisor's, which quotes it.
    expect(r.lines.find((l) => l.startsWith("core "))).toEndWith(`│ ${problem}`);
    expect(r.lines.find((l) => l.includes("cannot start"))).toEndWith(
      `cannot start: core exited with code 1 while starting: ${problem}`,
    );
  });
});

describe("an app's own start stops with one line", () => {
  test("when its SQLite file cannot be opened, naming the file", async () => {
    const { home, env } = await platform();
    mkdirSync(join(home, "data", "core.db"), { recursive: true });
    const r = await run("apps/core/src/main.ts", { ...env, HIVEMATRIX_HOME: home });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      `database error: ${join(home, "data", "core.db")}: unable to open database file [SQLITE_CANTOPEN]; fix or move that file (or set CORE_DATABASE_URL)`,
    ]);
  });

  const pg = postgresTestUrl();
  test.skipIf(!pg)("when the database password is wrong", async () => {
    const { home, env } = await platform();
    const url = new URL(pg!);
    url.password = "not-the-password";
    const r = await run("apps/core/src/main.ts", { ...env, HIVEMATRIX_HOME: home, CORE_DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    url.password = "***";
    expect(r.lines).toEqual([
      `database error: CORE_DATABASE_URL (${url}): password authentication failed for user "${url.username}" [28P01]; fix the user name or password in it`,
    ]);
  });

  test.skipIf(!pg)("when the database does not exist", async () => {
    const { home, env } = await platform();
    const url = new URL(pg!);
    url.pathname = "/hm_no_such_database";
    const r = await run("apps/core/src/main.ts", { ...env, HIVEMATRIX_HOME: home, CORE_DATABASE_URL: url.toString() });
    expect(r.code).toBe(1);
    if (url.password) url.password = "***";
    expect(r.lines).toEqual([
      `database error: CORE_DATABASE_URL (${url}): database "hm_no_such_database" does not exist [3D000]; create that database or fix its name in the URL`,
    ]);
  });

  test("when the database host does not exist", async () => {
    const { home, env } = await platform();
    const r = await run("apps/core/src/main.ts", {
      ...env,
      HIVEMATRIX_HOME: home,
      CORE_DATABASE_URL: "postgres://hm:secret@no-such-host.invalid:5432/hm",
    });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      "database error: CORE_DATABASE_URL (postgres://hm:***@no-such-host.invalid:5432/hm): no host named no-such-host.invalid; fix the URL",
    ]);
  });
});
