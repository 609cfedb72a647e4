import { join } from "node:path";
import { loadServices, REPO_ROOT } from "@hivematrix/lib/config";
import { readSecret } from "@hivematrix/lib/secrets";
import { createServiceClient, type ServiceClient } from "@hivematrix/lib/service-client";
import { startPlatform, type PlatformOptions, type TestPlatform } from "@hivematrix/lib/testing";

/**
 * Core and Helm as real processes, plus services registered but not started (`callers`), whose
 * secrets tests use to get real service tokens.
 */
export async function startHelmPlatform(
  o: {
    helmEnv?: Record<string, string>;
    callers?: string[];
    apps?: PlatformOptions["apps"];
    env?: Record<string, string>;
    startTimeoutMs?: number;
  } = {},
): Promise<TestPlatform> {
  const callers = Object.fromEntries((o.callers ?? []).map((name) => [name, { start: false }]));
  return startPlatform({
    apps: {
      ...callers,
      ...o.apps,
      helm: { permission: "admin", ...o.apps?.helm, env: { HELM_SCRAPE_INTERVAL_SECONDS: "1", ...o.helmEnv } },
    },
    env: o.env,
    startTimeoutMs: o.startTimeoutMs,
  });
}

export interface Supervised {
  /** Everything the supervisor printed so far (its own lines and every unit's, prefixed). */
  output(): string;
  /** SIGTERM, as Ctrl-C would: the supervisor stops every unit before it exits. */
  stop(): Promise<void>;
}

/**
 * `bun scripts/start.ts --only <units>` with `env`, as a sysadmin runs it; resolves once it says
 * the platform is running. Both of its streams are read, so a chatty run never blocks on a full pipe.
 */
export async function startSupervisor(
  units: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Supervised> {
  const proc = Bun.spawn(["bun", join(REPO_ROOT, "scripts/start.ts"), "--only", units.join(",")], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read())
      output += decoder.decode(r.value, { stream: true });
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  const supervised = {
    output: () => output,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
  try {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes("HiveMatrix is running")) {
      if (output.includes("cannot start") || proc.exitCode !== null)
        throw new Error(`the supervisor did not start ${units.join(", ")}:\n${output}`);
      if (Date.now() > deadline)
        throw new Error(`the supervisor did not start ${units.join(", ")} within ${timeoutMs / 1000} s:\n${output}`);
      await Bun.sleep(100);
    }
  } catch (e) {
    await supervised.stop();
    throw e;
  }
  return supervised;
}

/** A service client for a registered service, exactly as that app's runtime would build it. */
export function serviceClient(platform: Pick<TestPlatform, "home" | "servicesFile" | "coreUrl">, name: string) {
  return createServiceClient({
    name,
    secret: readSecret(platform.home, `service-${name}`),
    coreUrl: platform.coreUrl,
    services: loadServices(platform.servicesFile),
  });
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** Polls `check` until it returns a value that is not null/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | false>,
  timeoutMs = 30_000,
  what = "the condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await Bun.sleep(200);
  }
}

export interface LogsAnswer {
  total: number;
  logs: {
    service: string;
    level: string;
    message: string;
    request_id: string | null;
    user: string | null;
    context: Record<string, unknown> | null;
    timestamp: string;
  }[];
  older: string | null;
  newer: string | null;
}

export async function getLogs(
  platform: TestPlatform,
  token: string,
  query: Record<string, string>,
): Promise<LogsAnswer> {
  const res = await fetch(`${platform.urls.helm}/api/logs?${new URLSearchParams(query)}`, { headers: bearer(token) });
  if (!res.ok) throw new Error(`GET /api/logs answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as LogsAnswer;
}

export function line(message: string, extra: Record<string, unknown> = {}) {
  return { timestamp: new Date().toISOString(), level: "INFO", message, ...extra };
}

/** Posts log lines to Helm as `client`'s service, as lib's log shipper does. */
export function shipLines(client: ServiceClient, body: unknown, init: RequestInit = {}) {
  return client.callService("helm", "/api/logs/ingest", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}
