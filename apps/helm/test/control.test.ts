import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import { bearer, eventually, startSupervisor, type Supervised } from "./harness.ts";

/**
 * Helm with the real supervisor: `bun scripts/start.ts --only core,helm,nexus` on free ports with its
 * own HIVEMATRIX_HOME, so start/stop/restart go through the control socket as in production.
 */
let home: string;
let env: Record<string, string>;
let supervisor: Supervised;
let helm: string;
let admin: string;
let corePort: number;

interface ServiceJson {
  name: string;
  pid: number | null;
  supervisor: { status: string; restarts: number; lastError: string | null; message: string | null } | null;
  health: { state: string };
  listening: string[];
  rssBytes: number | null;
  uptimeSeconds: number | null;
  metrics: { at: string }[];
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const proc = Bun.spawn(["bun", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: await proc.exited, out, err };
}

async function services(): Promise<Record<string, ServiceJson>> {
  const res = await fetch(`${helm}/api/services`, { headers: bearer(admin) });
  const body = (await res.json()) as { supervisor: boolean; services: ServiceJson[] };
  return Object.fromEntries(body.services.map((s) => [s.name, s]));
}

beforeAll(async () => {
  home = tempHome("hm-helm-control-");
  const [helmPort, idp, nexusPort] = [await freePort(), await freePort(), await freePort()];
  corePort = await freePort();
  const servicesFile = writeServicesFile(home, {
    core: { port: corePort, visible: false },
    helm: { port: helmPort, permission: "admin" },
    nexus: { port: nexusPort, visible: false },
  });
  env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    KEYCLOAK_URL: `http://127.0.0.1:${idp}`,
    LOG_LEVEL: "info",
    HELM_SCRAPE_INTERVAL_SECONDS: "2",
    // One Nexus process, so killing it takes the unit down (several workers are supervisor.test.ts's).
    NEXUS_WORKERS: "1",
  };
  helm = `http://127.0.0.1:${helmPort}`;
  supervisor = await startSupervisor(["core", "helm", "nexus"], env, 90_000);
  admin = (await run(["apps/core/src/cli/token.ts", "--user", "alice"])).out.trim();
}, 120_000);

afterAll(async () => {
  await supervisor?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("service control through the supervisor", () => {
  test("lists every unit with its state, pid, memory, uptime and real address", async () => {
    const s = await services();
    expect(s.core!.supervisor!.status).toBe("running");
    expect(s.core!.health.state).toBe("healthy");
    expect(s.core!.pid).toBeGreaterThan(0);
    expect(s.core!.rssBytes).toBeGreaterThan(1_000_000);
    expect(s.core!.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(s.core!.listening).toEqual([`127.0.0.1:${corePort}`]);
    expect(s.helm!.supervisor!.status).toBe("running");
    // The identity provider was left out with --only: known from configuration, not run.
    expect(s.idp!.supervisor).toBeNull();
    expect(s.idp!.health.state).toBe("down");
  });

  test("a restart through Helm's API comes back healthy and is logged with the admin's name", async () => {
    const before = (await services()).core!.pid;
    const res = await fetch(`${helm}/api/services/core/restart`, {
      method: "POST",
      headers: bearer(admin, { "content-type": "application/json" }),
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcome: string }).outcome).toBe("done");
    const after = await services();
    expect(after.core!.health.state).toBe("healthy");
    expect(after.core!.pid).not.toBe(before);
    // Helm writes its own lines in batches every 250 ms.
    const logged = await eventually(
      async () => {
        const res = await fetch(`${helm}/api/logs?service=helm&user=alice&q=restart+core`, { headers: bearer(admin) });
        return ((await res.json()) as { logs: { message: string; user: string }[] }).logs[0] ?? false;
      },
      10_000,
      "the action in Helm's log",
    );
    expect(logged).toMatchObject({ user: "alice", message: expect.stringContaining("restart core by alice") });
    expect(supervisor.output()).toContain("restart core requested by alice via Helm");
  }, 60_000);

  test("the page's buttons are CSRF-protected forms; stopping Core from the browser is refused", async () => {
    const page = await fetch(`${helm}/services`, { headers: bearer(admin) });
    const html = await page.text();
    assertClassesDefined(html, "services page");
    expect(html).not.toContain("No supervisor");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const form = (action: string, token?: string) =>
      fetch(`${helm}/services/core/${action}`, {
        method: "POST",
        redirect: "manual",
        headers: bearer(admin, { "content-type": "application/x-www-form-urlencoded" }),
        body: token ? `_csrf=${encodeURIComponent(token)}` : "",
      });
    expect((await form("restart")).status).toBe(403);
    const ok = await form("restart", csrf);
    expect(ok.status).toBe(303);
    const done = await fetch(new URL(ok.headers.get("location")!, helm), { headers: bearer(admin) });
    const donePage = await done.text();
    expect(donePage).toContain("Restarted core");
    expect(donePage).toContain("alice");
    const stop = await form("stop", csrf);
    expect(stop.status).toBe(409);
    expect(await stop.text()).toContain("would lock you out");
    expect((await services()).core!.supervisor!.status).toBe("running");
  }, 60_000);

  test("`bun run helm` shows status and restarts a service from a terminal", async () => {
    const status = await run(["apps/helm/src/cli/helm.ts", "status"]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/core\s+running\s+healthy/);
    expect(status.out).toMatch(/helm\s+running\s+healthy/);
    const restart = await run(["apps/helm/src/cli/helm.ts", "restart", "core"]);
    expect(restart.code).toBe(0);
    expect(restart.out).toContain("core is running");
    const bad = await run(["apps/helm/src/cli/helm.ts", "restart", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('No service named "nope"');
    // Both land in the recent-actions list of Helm's services page, with who did them and how.
    const page = await (await fetch(`${helm}/services`, { headers: bearer(admin) })).text();
    const user = process.env.USER || userInfo().username;
    expect(page).toContain(`${user} via bun run helm`);
    expect(page).toMatch(/Restarted core \(pid \d+\)\./);
    expect(page).toContain("No service named &quot;nope&quot;");
  }, 60_000);

  test("a unit that cannot come back shows as restarting with its error everywhere, retried until it can", async () => {
    // An empty cookie key stops Nexus at start-up, as a broken file would.
    const key = join(home, "secrets", "nexus-cookie.secret");
    const saved = readFileSync(key, "utf8");
    writeFileSync(key, "");
    process.kill((await services()).nexus!.pid!, "SIGKILL");
    const shown = await eventually(
      async () => {
        const nexus = (await services()).nexus!.supervisor!;
        return nexus.status === "restarting" && nexus.lastError?.includes("while starting") ? nexus : false;
      },
      20_000,
      "Nexus to fail its first restart",
    );
    expect(shown.lastError).toMatch(/^nexus exited with code 1 while starting: .*nexus-cookie\.secret is empty/);
    const status = await run(["apps/helm/src/cli/helm.ts", "status"]);
    expect(status.out).toMatch(/nexus\s+restarting/);
    expect(status.out).toContain(`nexus: ${shown.lastError}`);
    const page = await (await fetch(`${helm}/services`, { headers: bearer(admin) })).text();
    expect(page).toContain(">restarting<");
    expect(page).toContain("nexus-cookie.secret is empty");

    writeFileSync(key, saved);
    await eventually(
      async () => (await services()).nexus!.supervisor!.status === "running",
      40_000,
      "Nexus to be running again",
    );
  }, 90_000);

  test("Helm restarts itself through the supervisor and comes back, its charts with it", async () => {
    const chartsBefore = await eventually(
      async () => {
        const core = (await services()).core!;
        return core.metrics.length >= 2 ? core.metrics : false;
      },
      20_000,
      "two chart points for core",
    );
    const before = (await services()).helm!.pid;
    const res = await fetch(`${helm}/api/services/helm/restart`, {
      method: "POST",
      headers: bearer(admin, { "content-type": "application/json" }),
      body: "{}",
    });
    expect(res.status).toBe(202);
    const pid = await eventually(
      async () => {
        const s = await services();
        return s.helm!.pid !== before && s.helm!.health.state === "healthy" ? s.helm!.pid : false;
      },
      60_000,
      "Helm to come back with a new pid",
    );
    expect(pid).not.toBe(before);
    // Points from before the restart are read back from Helm's database, not scraped anew.
    const chartsAfter = (await services()).core!.metrics.map((m) => m.at);
    expect(chartsAfter).toEqual(expect.arrayContaining(chartsBefore.map((m) => m.at)));
  }, 90_000);
});
