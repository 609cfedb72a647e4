import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { PortTakenError, Supervisor } from "../supervisor/supervisor.ts";
import type { Unit } from "../supervisor/units.ts";

// Real processes start here, some of them (the whole platform) several times.
setDefaultTimeout(90_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
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

async function fakeUnit(name: string): Promise<Unit & { pidFile: string }> {
  const port = await freePort();
  const pidFile = join(tempHome(), `${name}.helper.pid`);
  return {
    name,
    title: name,
    command: ["bun", join(import.meta.dir, "fixtures/fake-unit.ts"), String(port), pidFile],
    env: {},
    host: "127.0.0.1",
    port,
    url: `http://127.0.0.1:${port}`,
    healthUrl: `http://127.0.0.1:${port}/health`,
    startTimeoutMs: 20_000,
    pidFile,
  };
}

function supervise(units: Unit[]) {
  const lines: string[] = [];
  const supervisor = new Supervisor(units, {
    logsDir: join(tempHome(), "logs"),
    useColor: false,
    baseEnv: process.env,
    print: (l) => lines.push(l),
  });
  cleanups.push(() => supervisor.shutdown());
  return { supervisor, lines };
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
    await waitUntil(() => supervisor.status()[0]!.status === "backoff", 5_000, "backoff");
    expect(lines.some((l) => l.includes("alpha exited with SIGKILL; restarting in 1 s"))).toBe(true);
    await waitUntil(
      () => supervisor.status()[0]!.status === "running" && supervisor.status()[0]!.pid !== first,
      10_000,
      "the restart",
    );
    expect(supervisor.status()[0]!.restarts).toBe(1);
    expect((await fetch(a.healthUrl)).status).toBe(200);
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

  test("a taken port is reported with the unit's name and port", async () => {
    const a = await fakeUnit("alpha");
    const squatter = Bun.listen({ hostname: "127.0.0.1", port: a.port, socket: { data() {} } });
    cleanups.push(() => squatter.stop(true));
    const { supervisor } = supervise([a]);
    const error = await supervisor.start("alpha").catch((e) => e);
    expect(error).toBeInstanceOf(PortTakenError);
    expect(error.message).toBe(`alpha: port ${a.port} on 127.0.0.1 is already taken by another process`);
    expect(supervisor.status()[0]!.status).toBe("failed");
  });
});

describe("bun run start", () => {
  async function platformFiles(extra: Record<string, { port: number; host?: string; visible?: boolean }> = {}) {
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
    ).json()) as { services: { name: string; status: string; pid: number }[] };
    expect(units.services.map((u) => [u.name, u.status])).toEqual([
      ["idp", "running"],
      ["core", "running"],
      ["nexus", "running"],
    ]);
    run.proc.kill("SIGTERM");
    expect(await run.proc.exited).toBe(0);
    await waitUntil(() => units.services.every((u) => !alive(u.pid)), 10_000, "every unit to exit");
    expect(existsSync(join(home, "run", "supervisor.sock"))).toBe(false);
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

  test("an app other than Nexus may not listen beyond loopback", async () => {
    const { env } = await platformFiles({ codex: { port: await freePort(), host: "0.0.0.0" } });
    const run = start(env);
    expect(await run.proc.exited).toBe(1);
    expect(run.output()).toContain("codex.host is 0.0.0.0; only nexus may listen beyond loopback");
  });
});
