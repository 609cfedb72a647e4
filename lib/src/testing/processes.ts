import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { REPO_ROOT } from "../config.ts";
import { ensureHome } from "../secrets.ts";

/** Ports this process has handed out: the kernel may offer a closed port again. */
const handedOut = new Set<number>();

/** A port nobody listens on right now, or the first of `count` in a row (an app's instances); tests never assume fixed ports. */
export async function freePort(count = 1): Promise<number> {
  for (;;) {
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = server.port;
    server.stop(true);
    const run = Array.from({ length: count }, (_, i) => port + i);
    // A test that asks for several ports before starting anything must not get one twice; a run of
    // ports (an app's consecutive instances) must be free as a whole.
    if (run.some((one) => handedOut.has(one)) || !run.slice(1).every(canListen)) continue;
    for (const one of run) handedOut.add(one);
    return port;
  }
}

function canListen(port: number): boolean {
  try {
    Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
}

/** Homes made by this test run; they hold keys, secrets and databases, so none outlives it. */
const homes = new Set<string>();

/** Removes every home tempHome made (the test preload calls it once all tests have run). */
export function removeTempHomes(): void {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
  homes.clear();
}

/** A fresh HIVEMATRIX_HOME in the temp folder, removed after the test run. */
export function tempHome(prefix = "hm-test-"): string {
  const home = mkdtempSync(join(tmpdir(), prefix));
  homes.add(home);
  ensureHome(home);
  return home;
}

export interface RegistryEntry {
  port: number;
  title?: string;
  visible?: boolean;
  permission?: "admin" | "technician" | "billing" | "client" | null;
  host?: string;
  description?: string;
  publicPaths?: string[];
  /** Processes on `port` and the ports after it. */
  instances?: number;
  /** Instances elsewhere (the service is then not started locally). */
  urls?: string[];
}

/** Writes a services.json for a test platform into `home` and returns its path. */
export function writeServicesFile(home: string, entries: Record<string, RegistryEntry>): string {
  const registry: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(entries)) {
    registry[name] = {
      ...(e.urls ? {} : { url: `http://127.0.0.1:${e.port}`, port: e.port }),
      title: e.title ?? name[0]!.toUpperCase() + name.slice(1),
      visible: e.visible ?? name !== "core",
      permission: e.permission ?? null,
      ...(e.host ? { host: e.host } : {}),
      ...(e.description ? { description: e.description } : {}),
      ...(e.publicPaths ? { publicPaths: e.publicPaths } : {}),
      ...(e.instances ? { instances: e.instances } : {}),
      ...(e.urls ? { urls: e.urls } : {}),
    };
  }
  const path = join(home, "services.json");
  writeFileSync(path, JSON.stringify(registry, null, 2));
  return path;
}

export interface RunningProcess {
  name: string;
  url: string;
  proc: Subprocess;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Subprocess>();

/** Kills what a test started and did not stop (the test preload calls it once all tests have run). */
export function killStrayProcesses(): void {
  for (const p of running) p.kill("SIGKILL");
  running.clear();
}

async function collect(stream: ReadableStream<Uint8Array>, sink: string[]) {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    sink.push(decoder.decode(value));
    if (sink.length > 5000) sink.splice(0, 1000);
  }
}

/** Starts `bun <entry>` with `env` and waits until `healthUrl` answers 200. */
export async function startProcess(o: {
  name: string;
  entry: string;
  env: Record<string, string>;
  url: string;
  healthPath?: string;
  timeoutMs?: number;
}): Promise<RunningProcess> {
  const out: string[] = [];
  const proc = Bun.spawn(["bun", join(REPO_ROOT, o.entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...o.env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  running.add(proc);
  void collect(proc.stdout, out);
  void collect(proc.stderr, out);
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  const health = o.url + (o.healthPath ?? "/health");
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`${o.name} exited with ${proc.exitCode} before it was healthy:\n${out.join("")}`);
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${o.name} was not healthy at ${health} in time:\n${out.join("")}`);
    }
    await Bun.sleep(50);
  }
  return {
    name: o.name,
    url: o.url,
    proc,
    output: () => out.join(""),
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        const killer = setTimeout(() => proc.kill("SIGKILL"), 5000);
        await proc.exited;
        clearTimeout(killer);
      }
      running.delete(proc);
    },
  };
}
