/**
 * The platform as `bun run start` runs it, for the benchmarks: a fresh HIVEMATRIX_HOME in the temp
 * folder, services.json's apps on free ports, the dev IdP, and `bun run start` itself spawned in
 * `checkout` (this one, or another to compare with). Ready once the supervisor reports every unit
 * (and each Nexus worker) running and every /health answers 200.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "@hivematrix/lib/testing";

export interface StartedPlatform {
  checkout: string;
  home: string;
  nexusUrl: string;
  /** The `bun run start` process: the root of every process of the platform. */
  pid: number;
  /** performance.now() when `bun run start` was spawned. */
  spawnedAt: number;
  /** Each app's /health URL (the identity provider's as "idp"). */
  healthUrls: Record<string, string>;
  /** Waits until everything is up; resolves with the milliseconds since the spawn. */
  ready(timeoutMs?: number): Promise<number>;
  /** Everything `bun run start` printed so far. */
  output(): string;
  stop(): Promise<void>;
}

interface Entry {
  url: string;
  port: number;
  [field: string]: unknown;
}

interface UnitStatus {
  name: string;
  status: string;
  workers?: { status: string }[];
}

export const REPO = resolve(import.meta.dir, "../..");

/** Spawns `bun run start` in `checkout` on a fresh home; `env` adds to (or overrides) the environment. */
export async function startLikeBunRunStart(
  options: {
    checkout?: string;
    env?: Record<string, string>;
    args?: string[];
    /** Prepares the fresh HIVEMATRIX_HOME before the start (e.g. puts a seeded database in data/). */
    beforeStart?: (hivematrixHome: string) => void;
  } = {},
): Promise<StartedPlatform> {
  const checkout = options.checkout ?? REPO;
  const home = mkdtempSync(join(tmpdir(), "hm-bench-start-"));
  const registry = JSON.parse(readFileSync(join(checkout, "services.json"), "utf8")) as Record<string, Entry>;
  for (const entry of Object.values(registry)) {
    entry.port = await freePort();
    entry.url = `http://127.0.0.1:${entry.port}`;
  }
  const servicesFile = join(home, "services.json");
  writeFileSync(servicesFile, JSON.stringify(registry, null, 2));
  const idpUrl = `http://127.0.0.1:${await freePort()}`;
  const nexusUrl = registry.nexus!.url;
  const env = {
    ...process.env,
    HIVEMATRIX_HOME: join(home, "home"),
    HIVEMATRIX_SERVICES: servicesFile,
    KEYCLOAK_URL: idpUrl,
    NEXUS_PUBLIC_URL: nexusUrl,
    NO_COLOR: "1",
    ...options.env,
  };
  options.beforeStart?.(env.HIVEMATRIX_HOME);
  const spawnedAt = performance.now();
  const proc = Bun.spawn(["bun", "run", "start", ...(options.args ?? [])], {
    cwd: checkout,
    env,
    stdout: "pipe",
    stderr: "pipe",
    // Its own process group, so stopping it reaches nothing else.
    detached: true,
  });
  let printed = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    for (let read = await reader.read(); !read.done; read = await reader.read())
      printed += decoder.decode(read.value, { stream: true });
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  const healthUrls: Record<string, string> = { idp: `${idpUrl}/health` };
  for (const [name, entry] of Object.entries(registry)) healthUrls[name] = `${entry.url}/health`;
  const socket = join(env.HIVEMATRIX_HOME, "run", "supervisor.sock");

  const allRunning = async () => {
    const answer = await fetch("http://supervisor/services", { unix: socket }).catch(() => null);
    if (!answer?.ok) return false;
    const { services } = (await answer.json()) as { services: UnitStatus[] };
    return services.every(
      (unit) => unit.status === "running" && (unit.workers ?? []).every((worker) => worker.status === "running"),
    );
  };
  const allHealthy = async () => {
    const answers = await Promise.all(
      Object.values(healthUrls).map((url) =>
        fetch(url).then(
          (res) => res.body?.cancel().then(() => res.ok) ?? res.ok,
          () => false,
        ),
      ),
    );
    return answers.every(Boolean);
  };

  return {
    checkout,
    home,
    nexusUrl,
    pid: proc.pid,
    spawnedAt,
    healthUrls,
    async ready(timeoutMs = 120_000) {
      const deadline = spawnedAt + timeoutMs;
      while (performance.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`bun run start exited with ${proc.exitCode}:\n${printed}`);
        if ((await allRunning()) && (await allHealthy())) return performance.now() - spawnedAt;
        await Bun.sleep(20);
      }
      throw new Error(`the platform was not healthy within ${timeoutMs / 1000} s:\n${printed}`);
    },
    output: () => printed,
    async stop() {
      try {
        // Ctrl-C, as a person stops it: the supervisor stops every unit.
        process.kill(-proc.pid, "SIGINT");
      } catch {
        // Already gone.
      }
      const killer = setTimeout(() => process.kill(-proc.pid, "SIGKILL"), 20_000);
      await proc.exited;
      clearTimeout(killer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
