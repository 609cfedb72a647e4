import { rmSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, type PermissionLevel } from "../config.ts";
import {
  freePort,
  startProcess,
  tempHome,
  writeServicesFile,
  type RegistryEntry,
  type RunningProcess,
} from "./processes.ts";

export interface PlatformOptions {
  /** Apps besides Core to register (and start, unless `start: false`), by name under apps/. */
  apps?: Record<string, Omit<RegistryEntry, "port"> & { port?: number; start?: boolean; env?: Record<string, string> }>;
  /** Start the dev identity provider too. */
  idp?: boolean;
  /** Extra environment for every process (e.g. CORE_DATABASE_URL). */
  env?: Record<string, string>;
  /** How long each process may take to become healthy (default 20 s; migrating PostgreSQL under load takes longer). */
  startTimeoutMs?: number;
  /** How many instances Core runs (services.json's `instances`; several need CORE_DATABASE_URL). */
  coreInstances?: number;
}

export interface TestPlatform {
  home: string;
  servicesFile: string;
  /** The environment that makes a process part of this platform. */
  env: Record<string, string>;
  ports: Record<string, number>;
  urls: Record<string, string>;
  coreUrl: string;
  idpUrl: string | null;
  processes: Map<string, RunningProcess>;
  /** A JWT for this level from Core's `bun run token` (backed by a session row). */
  token(level?: PermissionLevel, options?: { user?: string; company?: string; ttl?: string }): Promise<string>;
  /** Starts (or restarts) one registered app; `name.2` is its second instance (services.json's `instances`). */
  start(name: string, env?: Record<string, string>): Promise<RunningProcess>;
  stopApp(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Core (and optionally the dev IdP and other apps) as real processes on free ports,
 * with their own HIVEMATRIX_HOME, for end-to-end tests.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const home = tempHome();
  const ports: Record<string, number> = { core: await freePort(options.coreInstances ?? 1) };
  const entries: Record<string, RegistryEntry> = {
    core: { port: ports.core!, visible: false, ...(options.coreInstances ? { instances: options.coreInstances } : {}) },
  };
  for (const [name, spec] of Object.entries(options.apps ?? {})) {
    ports[name] = spec.port ?? (await freePort(spec.instances ?? 1));
    const { start: _s, env: _e, port: _p, ...entry } = spec;
    entries[name] = { ...entry, port: ports[name]! };
  }
  const servicesFile = writeServicesFile(home, entries);
  const idpPort = options.idp ? await freePort() : null;
  const urls = Object.fromEntries(Object.entries(ports).map(([n, p]) => [n, `http://127.0.0.1:${p}`]));
  // Every further instance of an app is `<name>.<n>` on the port after the one before.
  for (const [name, entry] of Object.entries(entries))
    for (let n = 2; n <= (entry.instances ?? 1); n++) urls[`${name}.${n}`] = `http://127.0.0.1:${entry.port + n - 1}`;
  const env: Record<string, string> = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    LOG_LEVEL: "warn",
    ...(idpPort ? { KEYCLOAK_URL: `http://127.0.0.1:${idpPort}` } : {}),
    // Tests reach Nexus at the address they were given: make it the one public origin (see nexusPublicOrigin).
    ...(urls.nexus ? { NEXUS_PUBLIC_URL: urls.nexus } : {}),
    ...options.env,
  };
  const processes = new Map<string, RunningProcess>();

  const startApp = async (name: string, extra: Record<string, string> = {}) => {
    await processes.get(name)?.stop();
    const [app, instance] = name.split(".") as [string, string | undefined];
    const spec = options.apps?.[app];
    const p = await startProcess({
      name,
      entry: `apps/${app}/src/main.ts`,
      env: { ...env, ...spec?.env, ...extra, ...(instance ? { HIVEMATRIX_INSTANCE: instance } : {}) },
      url: urls[name]!,
      ...(options.startTimeoutMs ? { timeoutMs: options.startTimeoutMs } : {}),
    });
    processes.set(name, p);
    return p;
  };

  const stopAll = async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    processes.clear();
    rmSync(home, { recursive: true, force: true });
  };

  try {
    if (idpPort) {
      processes.set(
        "dev-idp",
        await startProcess({
          name: "dev-idp",
          entry: "apps/dev-idp/src/main.ts",
          env,
          url: `http://127.0.0.1:${idpPort}`,
        }),
      );
    }
    const withInstances = (name: string) => [
      name,
      ...Array.from({ length: (entries[name]!.instances ?? 1) - 1 }, (_, i) => `${name}.${i + 2}`),
    ];
    for (const name of withInstances("core")) await startApp(name);
    for (const [name, spec] of Object.entries(options.apps ?? {}))
      if (spec.start !== false) for (const one of withInstances(name)) await startApp(one);
  } catch (e) {
    await stopAll();
    throw e;
  }

  const tokens = new Map<string, Promise<string>>();
  return {
    home,
    servicesFile,
    env,
    ports,
    urls,
    coreUrl: urls.core!,
    idpUrl: idpPort ? `http://127.0.0.1:${idpPort}` : null,
    processes,
    token(level = "admin", o = {}) {
      const args = [
        "--level",
        level,
        ...(o.user ? ["--user", o.user] : []),
        ...(o.company ? ["--company", o.company] : []),
        ...(o.ttl ? ["--ttl", o.ttl] : []),
      ];
      const key = args.join(" ");
      let hit = tokens.get(key);
      if (!hit) {
        hit = (async () => {
          const proc = Bun.spawn(["bun", join(REPO_ROOT, "apps/core/src/cli/token.ts"), ...args], {
            cwd: REPO_ROOT,
            env: { ...process.env, ...env },
            stdout: "pipe",
            stderr: "pipe",
          });
          const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
          if ((await proc.exited) !== 0) throw new Error(`bun run token ${key} failed: ${err}`);
          return out.trim();
        })();
        tokens.set(key, hit);
      }
      return hit;
    },
    start: startApp,
    async stopApp(name) {
      await processes.get(name)?.stop();
      processes.delete(name);
    },
    stop: stopAll,
  };
}
