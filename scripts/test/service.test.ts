import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { tempHome } from "@hivematrix/lib/testing";
import { run } from "./ops-harness.ts";

/**
 * `bun run service`: the systemd unit it writes runs this install as its user, in production,
 * restarted on failure, with limits; systemd's own checker accepts it. Where systemd-analyze is
 * missing the verify test is skipped (the content is checked either way); .ci/run installs it.
 */

const analyze = Bun.which("systemd-analyze");
const user = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();
const group = Bun.spawnSync(["id", "-gn"]).stdout.toString().trim();

async function install(env: Record<string, string> = {}) {
  const dir = tempHome("hm-unit-");
  const home = join(dir, "home");
  const r = await run("scripts/service.ts", ["install", "--unit-dir", dir], { HIVEMATRIX_HOME: home, ...env });
  return { dir, home, file: join(dir, "hivematrix.service"), r };
}

/** `systemd-analyze verify` of a unit file: its complaints, or none. */
function verify(file: string): { code: number; out: string } {
  const r = Bun.spawnSync([analyze!, "verify", file], { stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: `${r.stdout.toString()}${r.stderr.toString()}`.trim() };
}

describe("bun run service", () => {
  test("install writes a unit running this install as this user, in production, restarted on failure, limited", async () => {
    const { file, home, r } = await install();
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `Wrote ${file}: HiveMatrix runs as ${user} from ${REPO_ROOT} with HIVEMATRIX_ENV=production.`,
    );
    const lines = readFileSync(file, "utf8").split("\n");
    for (const line of [
      "[Service]",
      `User=${user}`,
      `Group=${group}`,
      `WorkingDirectory=${REPO_ROOT}`,
      'Environment="HIVEMATRIX_ENV=production"',
      `Environment="HIVEMATRIX_HOME=${home}"`,
      `ExecStart=${process.execPath} ${REPO_ROOT}/scripts/start.ts`,
      "Restart=on-failure",
      "KillMode=mixed",
      "LimitNOFILE=65536",
      "TasksMax=4096",
      "NoNewPrivileges=yes",
      "WantedBy=multi-user.target",
    ])
      expect(lines).toContain(line);
    expect(lines.find((l) => l.startsWith('Environment="PATH='))).toContain(process.execPath.replace(/\/[^/]+$/, ""));
  });

  test.skipIf(!analyze)("systemd-analyze verify accepts the unit, and would catch a broken one", async () => {
    const { file } = await install();
    expect(verify(file)).toEqual({ code: 0, out: "" });
    const broken = file.replace(/hivematrix\.service$/, "broken.service");
    writeFileSync(broken, readFileSync(file, "utf8").replace(/^ExecStart=\//m, "ExecStart=not-absolute/"));
    expect(verify(broken).code).not.toBe(0);
  });

  test("status tells an up-to-date unit from a stale one; uninstall removes it", async () => {
    const { dir, file, home } = await install();
    const env = { HIVEMATRIX_HOME: home };
    expect((await run("scripts/service.ts", ["status", "--unit-dir", dir], env)).out).toContain("up to date");
    const moved = await run("scripts/service.ts", ["status", "--unit-dir", dir], { HIVEMATRIX_HOME: `${home}-moved` });
    expect(moved.out).toContain("differs from what this install needs now");
    expect((await run("scripts/service.ts", ["uninstall", "--unit-dir", dir], env)).code).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect((await run("scripts/service.ts", ["status", "--unit-dir", dir], env)).out).toContain("Not installed");
  });

  test("refuses in one line: an unknown user, and systemctl's work on a machine without systemd", async () => {
    const dir = tempHome("hm-unit-");
    const nobody = await run("scripts/service.ts", ["install", "--unit-dir", dir, "--user", "no-such-user-hm"], {});
    expect([nobody.code, nobody.errLines]).toEqual([
      1,
      ["service: there is no user no-such-user-hm on this machine (--user names the account to run as)"],
    ]);
    if (existsSync("/run/systemd/system")) return;
    const offline = await run("scripts/service.ts", ["install"], {});
    expect([offline.code, offline.errLines]).toEqual([
      1,
      [
        "service: this machine does not run systemd (/run/systemd/system is missing): " +
          "use --unit-dir DIR to write the unit file only",
      ],
    ]);
  });
});
