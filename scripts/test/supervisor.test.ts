import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { PortTakenError, Supervisor, type SupervisorOptions } from "../supervisor/supervisor.ts";
import type { Unit } from "../supervisor/units.ts";

// Real processes start here, some of them (the whole platform) several times.
setDefaultTimeout(90_000);

/** Running, not merely a zombie nobody has reaped yet. */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0] !== "Z";
  } catch {
    return false;
  }
};
/** Every process in process group `pgid` (a unit's group: the unit, its watchdog and its helpers). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command (which may hold spaces) start after its closing parenthesis.
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return members;
}
async function waitUntil(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fakeUnit(name: string, env: Record<string, string> = {}): Promise<Unit & { pidFile: string }> {
  // The next port is free too, for a test that runs the unit as two instances.
  const port = await freePort(2);
  const pidFile = join(tempHome(), `${name}.helper.pid`);
  return {
    name,
    title: name,
    command: ["bun", join(import.meta.dir, "fixtures/fake-unit.ts"), String(port), pidFile],
    env,
    host: "127.0.0.1",
    port,
    url: `http://127.0.0.1:${port}`,
    healthUrl: `http://127.0.0.1:${port}/health`,
    startTimeoutMs: 20_000,
    pidFile,
  };
}

function supervise(units: Unit[], options: Partial<SupervisorOptions> = {}) {
  const lines: string[] = [];
  const logsDir = join(tempHome(), "logs");
  const supervisor = new Supervisor(units, {
    logsDir,
    logFileMaxBytes: 10 * 1024 * 1024,
    logFileKeep: 5,
    useColor: false,
    baseEnv: process.env,
    print: (l) => lines.push(l),
    ...options,
  });
  cleanups.push(() => supervisor.shutdown());
  return { supervisor, lines, logsDir };
}

describe("the supervisor", () => {
  test("starts units in order, waits for health, and prefixes their output", async () => {
    const a = await fakeUnit("alpha");
    const b = await fakeUnit("beta");
    const { supervisor, lines } = supervise([a, b]);
    await supervisor.start("alpha");
    await supervisor.start("beta");
    expect(supervisor.status().map((s) => [s.name, s.status])).toEqual([
      ["alpha", "running"],
      ["beta", "running"],
    ]);
    await waitUntil(
      () => lines.some((l) => l.startsWith("alpha") && l.includes("listening")),
      5_000,
      "alpha's log line",
    );
    const line = lines.find((l) => l.startsWith("alpha") && l.includes("listening"))!;
    expect(line).toMatch(/^alpha\s+│ \d\d:\d\d:\d\d INFO\s+listening port=\d+$/);
  });

  test("restarts a crashed unit with backoff", async () => {
    const a = await fakeUnit("alpha");
    const { supervisor, lines } = supervise([a]);
    await supervisor.start("alpha");
    const first = supervisor.status()[0]!.pid!;
    process.kill(first, "SIGKILL");
    await waitUntil(() => supervisor.status()[0]!.status === "restarting", 5_000, "the restart to be scheduled");
    expect(lines.some((l) => l.includes("alpha exited with SIGKILL; restarting in 1 s"))).toBe(true);
    await waitUntil(
      () => supervisor.status()[0]!.status === "running" && supervisor.status()[0]!.pid !== first,
      10_000,
      "the restart",
    );
    expect(supervisor.status()[0]!.restarts).toBe(1);
    expect((await fetch(a.healthUrl)).status).toBe(200);
  });

  test("a restart that does not become healthy is retried until it does, shown as restarting with the error", async () => {
    const healthy = join(tempHome(), "healthy");
    writeFileSync(healthy, "");
    const a = { ...(await fakeUnit("alpha", { FAKE_UNIT_HEALTHY_FILE: healthy })), startTimeoutMs: 1_000 };
    const { supervisor } = supervise([a], { minBackoffMs: 100, maxBackoffMs: 300 });
    await supervisor.start("alpha");
    const first = supervisor.status()[0]!.pid!;
    rmSync(healthy);
    process.kill(first, "SIGKILL");
    await waitUntil(() => supervisor.status()[0]!.restarts >= 3, 15_000, "three failed restarts");
    const state = supervisor.status()[0]!;
    expect(state.status).toBe("restarting");
    expect(state.lastError).toBe(`alpha did not answer ${a.healthUrl} within 1 s`);
    expect(state.message).toMatch(/^alpha did not answer .* within 1 s; (restarting in 0\.[13] s|trying again now)$/);
    writeFileSync(healthy, "");
    await waitUntil(() => supervisor.status()[0]!.status === "running", 10_000, "alpha to be running again");
    expect((await fetch(a.healthUrl)).status).toBe(200);
  });

  test("a unit waiting for its database is left to wait (not killed), said so, and marked ready when it is", async () => {
    const waiting = join(tempHome(), "db-down");
    writeFileSync(waiting, "");
    const a = { ...(await fakeUnit("alpha", { FAKE_UNIT_DB_WAIT_FILE: waiting })), startTimeoutMs: 1_000 };
    const { supervisor } = supervise([a], { minBackoffMs: 100, maxBackoffMs: 300 });
    await supervisor.start("alpha");
    const pid = supervisor.status()[0]!.pid!;
    expect(supervisor.status()[0]).toMatchObject({ status: "running", message: "alpha is waiting for its database" });
    await Bun.sleep(2_500);
    expect(supervisor.status()[0]).toMatchObject({ status: "running", pid, restarts: 0 });
    rmSync(waiting);
    await waitUntil(() => supervisor.status()[0]!.message === null, 5_000, "the waiting note to clear");
    expect(supervisor.status()[0]!.pid).toBe(pid);
  });

  test("a unit that fails at every start is retried forever with capped backoff, its error shown", async () => {
    const failFile = join(tempHome(), "fail");
    const a = await fakeUnit("alpha", { FAKE_UNIT_FAIL_FILE: failFile });
    const { supervisor, lines } = supervise([a], { minBackoffMs: 50, maxBackoffMs: 200 });
    await supervisor.start("alpha");
    writeFileSync(failFile, "ALPHA_DATABASE_URL is wrong");
    process.kill(supervisor.status()[0]!.pid!, "SIGKILL");
    await waitUntil(() => supervisor.status()[0]!.restarts >= 4, 20_000, "four failed restarts");
    const state = supervisor.status()[0]!;
    expect(state.status).toBe("restarting");
    expect(state.lastError).toBe(
      "alpha exited with code 1 while starting: configuration error: ALPHA_DATABASE_URL is wrong",
    );
    // Doubling from 50 ms, capped at 200 ms.
    expect(lines.filter((l) => l.includes("restarting in")).map((l) => /restarting in ([\d.]+) s/.exec(l)![1])).toEqual(
      expect.arrayContaining(["0.05", "0.1", "0.2"]),
    );
    expect(lines.some((l) => /restarting in 0\.4/.test(l))).toBe(false);
    rmSync(failFile);
    await waitUntil(() => supervisor.status()[0]!.status === "running", 10_000, "alpha to be running again");
  });

  test("a unit stopped on purpose stays stopped, even while it was being retried", async () => {
    const failFile = join(tempHome(), "fail");
    const a = await fakeUnit("alpha", { FAKE_UNIT_FAIL_FILE: failFile });
    const { supervisor } = supervise([a], { minBackoffMs: 50, maxBackoffMs: 100 });
    await supervisor.start("alpha");
    writeFileSync(failFile, "broken");
    process.kill(supervisor.status()[0]!.pid!, "SIGKILL");
    await waitUntil(() => supervisor.status()[0]!.restarts >= 2, 10_000, "two failed restarts");
    await supervisor.stop("alpha");
    rmSync(failFile);
    const restarts = supervisor.status()[0]!.restarts;
    await Bun.sleep(1_000);
    expect(supervisor.status()[0]).toMatchObject({ status: "stopped", pid: null, restarts });
    expect(
      await fetch(a.healthUrl).then(
        () => "up",
        () => "down",
      ),
    ).toBe("down");
  });

  test("rotates a unit's log file by size and keeps the newest few", async () => {
    const a = await fakeUnit("alpha", { FAKE_UNIT_LOG_LINES: "300" });
    const { supervisor, logsDir } = supervise([a], { logFileMaxBytes: 4_096, logFileKeep: 2 });
    await supervisor.start("alpha");
    const log = join(logsDir, "alpha.log");
    await waitUntil(
      () => existsSync(log) && readFileSync(log, "utf8").includes('"listening"'),
      10_000,
      "the last line",
    );
    const files = readdirSync(logsDir).sort();
    expect(files).toEqual(["alpha.log", "alpha.log.1", "alpha.log.2"]);
    for (const f of files) expect(statSync(join(logsDir, f)).size).toBeLessThanOrEqual(4_096);
    // Whole lines only, oldest in the highest number.
    const older = readFileSync(join(logsDir, "alpha.log.2"), "utf8").trimEnd().split("\n");
    const newer = readFileSync(join(logsDir, "alpha.log.1"), "utf8").trimEnd().split("\n");
    for (const line of [...older, ...newer]) expect(JSON.parse(line).message).toMatch(/^line \d+ x+$/);
    const number = (line: string) => Number(/line (\d+)/.exec(JSON.parse(line).message)![1]);
    expect(number(older.at(-1)!) + 1).toBe(number(newer[0]!));
  });

  test("stopping leaves no process behind, helpers included", async () => {
    const a = await fakeUnit("alpha");
    const { supervisor } = supervise([a]);
    await supervisor.start("alpha");
    const pid = supervisor.status()[0]!.pid!;
    await waitUntil(() => existsSync(a.pidFile), 5_000, "the helper");
    const helper = Number(readFileSync(a.pidFile, "utf8"));
    expect(alive(helper)).toBe(true);
    await supervisor.shutdown();
    await waitUntil(() => !alive(pid) && !alive(helper), 5_000, "everything to exit");
  });

  test("a unit of several workers runs them on its one port, and one that dies is restarted while the other serves", async () => {
    const a = { ...(await fakeUnit("alpha")), workers: 2 };
    const { supervisor, lines } = supervise([a]);
    await supervisor.start("alpha");
    const workers = () => supervisor.status()[0]!.workers!;
    expect(workers().map((w) => [w.worker, w.status])).toEqual([
      [1, "running"],
      [2, "running"],
    ]);
    const [first, second] = workers().map((w) => w.pid!);
    expect(first).not.toBe(second);
    // Each new connection goes to one of the two processes listening on the port.
    const answered = new Set<number>();
    for (let i = 0; i < 60 && answered.size < 2; i++)
      answered.add(((await (await fetch(a.healthUrl, { keepalive: false })).json()) as { worker: number }).worker);
    expect([...answered].sort()).toEqual([1, 2]);

    process.kill(second!, "SIGKILL");
    await waitUntil(() => workers()[1]!.status === "restarting", 5_000, "the worker's restart to be scheduled");
    expect(lines.some((l) => l.includes("alpha.2 exited with SIGKILL; restarting in 1 s"))).toBe(true);
    // The unit serves, and says which worker does not.
    expect(supervisor.status()[0]).toMatchObject({
      status: "running",
      pid: first,
      restarts: 0,
      lastError: expect.stringContaining("alpha.2 exited with SIGKILL"),
      message: expect.stringMatching(/^worker 2 of 2 is restarting/),
    });
    expect((await fetch(a.healthUrl, { keepalive: false })).status).toBe(200);
    await waitUntil(
      () => workers()[1]!.status === "running" && workers()[1]!.pid !== second,
      10_000,
      "the worker's restart",
    );
    expect(workers().map((w) => [w.pid === first, w.restarts])).toEqual([
      [true, 0],
      [false, 1],
    ]);
    await supervisor.stop("alpha");
    expect(workers().every((w) => w.status === "stopped" && w.pid === null)).toBe(true);
  });

  test("a unit of several instances runs each on its own port, and one that dies is restarted while the other serves", async () => {
    const a = { ...(await fakeUnit("alpha")), instances: 2 };
    const { supervisor, lines } = supervise([a]);
    await supervisor.start("alpha");
    const instances = () => supervisor.status()[0]!.instances!;
    expect(instances().map((i) => [i.instance, i.port, i.status])).toEqual([
      [1, a.port, "running"],
      [2, a.port + 1, "running"],
    ]);
    const answer = async (port: number) =>
      ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { instance: number }).instance;
    expect([await answer(a.port), await answer(a.port + 1)]).toEqual([1, 2]);
    const [first, second] = instances().map((i) => i.pid!);
    process.kill(first!, "SIGKILL");
    await waitUntil(() => instances()[0]!.status === "restarting", 5_000, "the instance's restart to be scheduled");
    expect(lines.some((l) => l.includes("alpha exited with SIGKILL; restarting in 1 s"))).toBe(true);
    expect(await answer(a.port + 1)).toBe(2);
    await waitUntil(() => instances()[0]!.status === "running", 10_000, "the instance's restart");
    expect(await answer(a.port)).toBe(1);
    expect(instances()[1]!.pid).toBe(second!);
    await supervisor.stop("alpha");
    expect(instances().every((i) => i.status === "stopped" && i.pid === null)).toBe(true);
  });

  test("a taken port is reported with the unit's name and port", async () => {
    const a = await fakeUnit("alpha");
    const squatter = Bun.listen({ hostname: "127.0.0.1", port: a.port, socket: { data() {} } });
    cleanups.push(() => squatter.stop(true));
    const { supervisor } = supervise([a]);
    const error = await supervisor.start("alpha").catch((e) => e);
    expect(error).toBeInstanceOf(PortTakenError);
    expect(error.message).toBe(`alpha: port ${a.port} on 127.0.0.1 is already taken by another process`);
    expect(supervisor.status()[0]).toMatchObject({ status: "restarting", lastError: error.message });
  });
});

describe("bun run start", () => {
  async function platformFiles(
    extra: Record<string, { port: number; host?: string; visible?: boolean; instances?: number }> = {},
  ) {
    const home = tempHome();
    const ports = { core: await freePort(), nexus: await freePort(), idp: await freePort() };
    const services = writeServicesFile(home, {
      core: { port: ports.core, visible: false },
      nexus: { port: ports.nexus, visible: false, host: "0.0.0.0" },
      ...extra,
    });
    const env = {
      HIVEMATRIX_HOME: home,
      HIVEMATRIX_SERVICES: services,
      KEYCLOAK_URL: `http://127.0.0.1:${ports.idp}`,
      NO_COLOR: "1",
      LOG_LEVEL: "warn",
      NEXUS_WORKERS: "2",
    };
    return { home, ports, env };
  }

  function start(env: Record<string, string>, args: string[] = []) {
    const proc = Bun.spawn(["bun", join(REPO_ROOT, "scripts/start.ts"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    let out = "";
    const decoder = new TextDecoder();
    void (async () => {
      for (const stream of [proc.stdout, proc.stderr]) {
        void (async () => {
          const reader = stream.getReader();
          for (let r = await reader.read(); !r.done; r = await reader.read())
            out += decoder.decode(r.value, { stream: true });
        })();
      }
    })();
    cleanups.push(async () => {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await proc.exited;
      }
    });
    return { proc, output: () => out };
  }

  test("brings up the IdP, Core and Nexus, prints the URL and dev logins, and stops everything on SIGTERM", async () => {
    const { ports, env, home } = await platformFiles();
    const run = start(env);
    await waitUntil(
      () => run.output().includes("Press Ctrl-C to stop."),
      60_000,
      `the platform to start:\n${run.output()}`,
    );
    const out = run.output();
    expect(out).toContain(`HiveMatrix is running: open http://localhost:${ports.nexus}/`);
    expect(out).toMatch(/admin\s+\/ admin\s+→ admin/);
    expect(out).toMatch(/client\s+\/ client\s+→ client \(company ACME-001\)/);
    expect(out.indexOf("idp is up")).toBeLessThan(out.indexOf("core is up"));
    expect(out.indexOf("core is up")).toBeLessThan(out.indexOf("nexus is up on 0.0.0.0"));
    expect((await fetch(`http://127.0.0.1:${ports.nexus}/health`)).status).toBe(200);
    for (const dir of ["keys", "secrets", "data", "logs"]) expect(existsSync(join(home, dir))).toBe(true);

    const units = (await (
      await fetch("http://supervisor/services", { unix: join(home, "run", "supervisor.sock") })
    ).json()) as { services: { name: string; status: string; pid: number; workers?: { pid: number }[] }[] };
    expect(units.services.map((u) => [u.name, u.status])).toEqual([
      ["idp", "running"],
      ["core", "running"],
      ["nexus", "running"],
    ]);
    // NEXUS_WORKERS=2: two Nexus processes, both answering on Nexus's one port.
    const workers = units.services[2]!.workers!.map((w) => w.pid);
    expect(new Set(workers).size).toBe(2);
    const answered = new Set<number>();
    for (let i = 0; i < 60 && answered.size < 2; i++) {
      const health = await fetch(`http://127.0.0.1:${ports.nexus}/health`, { keepalive: false });
      answered.add(((await health.json()) as { worker: number }).worker);
    }
    expect([...answered].sort()).toEqual([1, 2]);
    run.proc.kill("SIGTERM");
    expect(await run.proc.exited).toBe(0);
    const pids = [...units.services.map((u) => u.pid), ...workers];
    await waitUntil(() => pids.every((pid) => !alive(pid)), 10_000, "every unit to exit");
    expect(existsSync(join(home, "run", "supervisor.sock"))).toBe(false);
  });

  test("kill -9 of the supervisor takes every unit with it, so the next start works", async () => {
    const { env, home, ports } = await platformFiles();
    const first = start(env);
    await waitUntil(() => first.output().includes("Press Ctrl-C to stop."), 60_000, `the platform:\n${first.output()}`);
    const { services } = (await (
      await fetch("http://supervisor/services", { unix: join(home, "run", "supervisor.sock") })
    ).json()) as { services: { name: string; pid: number }[] };
    expect(services.map((u) => u.name)).toEqual(["idp", "core", "nexus"]);
    for (const u of services) expect(groupMembers(u.pid).length).toBeGreaterThan(1);
    first.proc.kill("SIGKILL");
    await waitUntil(() => services.every((u) => groupMembers(u.pid).length === 0), 15_000, "every unit's group to end");

    const second = start(env);
    await waitUntil(
      () => second.output().includes("Press Ctrl-C to stop."),
      60_000,
      `the next start:\n${second.output()}`,
    );
    expect((await fetch(`http://127.0.0.1:${ports.nexus}/health`)).status).toBe(200);
  });

  test("kill -9 of the supervisor also ends a real Keycloak's processes", async () => {
    const { env, home } = await platformFiles();
    const helperPid = join(home, "keycloak-helper.pid");
    const managementPort = await freePort();
    const run = start(
      {
        ...env,
        KEYCLOAK_HOME: join(import.meta.dir, "fixtures/fake-keycloak-home"),
        KEYCLOAK_MANAGEMENT_PORT: String(managementPort),
        FAKE_KEYCLOAK_HELPER_PID: helperPid,
      },
      ["--only", "idp"],
    );
    await waitUntil(() => run.output().includes("Press Ctrl-C to stop."), 60_000, `Keycloak:\n${run.output()}`);
    expect(run.output()).toContain("keycloak: ");
    // Health is checked on Keycloak's management port, which listens on loopback like Keycloak itself.
    expect((await fetch(`http://127.0.0.1:${managementPort}/health/ready`)).status).toBe(200);
    const helper = Number(readFileSync(helperPid, "utf8"));
    const { services } = (await (
      await fetch("http://supervisor/services", { unix: join(home, "run", "supervisor.sock") })
    ).json()) as { services: { name: string; pid: number }[] };
    const keycloak = services[0]!.pid;
    expect(alive(helper)).toBe(true);
    run.proc.kill("SIGKILL");
    await waitUntil(() => groupMembers(keycloak).length === 0, 15_000, "Keycloak's group to end");
    expect(alive(helper)).toBe(false);
  });

  test("--only starts a subset", async () => {
    const { ports, env } = await platformFiles();
    const run = start(env, ["--only", "core"]);
    await waitUntil(() => run.output().includes("Press Ctrl-C to stop."), 60_000, `core to start:\n${run.output()}`);
    expect((await fetch(`http://127.0.0.1:${ports.core}/health`)).status).toBe(200);
    expect(
      await fetch(`http://127.0.0.1:${ports.nexus}/health`).then(
        () => "up",
        () => "down",
      ),
    ).toBe("down");
    expect(run.output()).not.toContain("Dev logins");
  });

  test("a taken port stops the start with the service's name and port", async () => {
    const { ports, env } = await platformFiles();
    const squatter = Bun.listen({ hostname: "127.0.0.1", port: ports.core, socket: { data() {} } });
    cleanups.push(() => squatter.stop(true));
    const run = start(env);
    expect(await run.proc.exited).toBe(1);
    expect(run.output()).toContain(`core: port ${ports.core} on 127.0.0.1 is already taken by another process`);
  });

  test("several instances of an app on SQLite stop the start with one line", async () => {
    const { env } = await platformFiles({ codex: { port: await freePort(), instances: 2 } });
    const run = start(env);
    expect(await run.proc.exited).toBe(1);
    expect(run.output().trim()).toBe(
      "configuration error: codex has 2 instances in services.json but no CODEX_DATABASE_URL: several instances " +
        "share one PostgreSQL database (SQLite is one file for one process)",
    );
  });

  test("an app other than Nexus may not listen beyond loopback", async () => {
    const { env } = await platformFiles({ codex: { port: await freePort(), host: "0.0.0.0" } });
    const run = start(env);
    expect(await run.proc.exited).toBe(1);
    expect(run.output()).toContain("codex.host is 0.0.0.0; only nexus may listen beyond loopback");
  });
});
