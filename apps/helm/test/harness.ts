import { loadServices } from "@hivematrix/lib/config";
import { readSecret } from "@hivematrix/lib/secrets";
import { createServiceClient } from "@hivematrix/lib/service-client";
import { startPlatform, type PlatformOptions, type TestPlatform } from "@hivematrix/lib/testing";

/**
 * Core and Helm as real processes, plus services registered but not started (`callers`), whose
 * secrets tests use to get real service tokens.
 */
export async function startHelmPlatform(o: { helmEnv?: Record<string, string>; callers?: string[]; apps?: PlatformOptions["apps"]; env?: Record<string, string> } = {}): Promise<TestPlatform> {
  const callers = Object.fromEntries((o.callers ?? []).map((name) => [name, { start: false }]));
  return startPlatform({
    apps: { ...callers, ...o.apps, helm: { permission: "admin", env: { HELM_SCRAPE_INTERVAL_SECONDS: "1", ...o.helmEnv } } },
    env: o.env,
  });
}

/** A service client for a registered service, exactly as that app's runtime would build it. */
export function serviceClient(platform: Pick<TestPlatform, "home" | "servicesFile" | "coreUrl">, name: string) {
  return createServiceClient({ name, secret: readSecret(platform.home, `service-${name}`), coreUrl: platform.coreUrl, services: loadServices(platform.servicesFile) });
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

/** Polls `check` until it returns a value that is not null/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | false>, timeoutMs = 30_000, what = "the condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await check();
      if (v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await Bun.sleep(200);
  }
}

export interface LogsAnswer {
  total: number;
  logs: { service: string; level: string; message: string; request_id: string | null; user: string | null; context: Record<string, unknown> | null; timestamp: string }[];
  older: string | null;
  newer: string | null;
}

export async function getLogs(platform: TestPlatform, token: string, query: Record<string, string>): Promise<LogsAnswer> {
  const res = await fetch(`${platform.urls.helm}/api/logs?${new URLSearchParams(query)}`, { headers: bearer(token) });
  if (!res.ok) throw new Error(`GET /api/logs answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as LogsAnswer;
}

export function line(message: string, extra: Record<string, unknown> = {}) {
  return { timestamp: new Date().toISOString(), level: "INFO", message, ...extra };
}
