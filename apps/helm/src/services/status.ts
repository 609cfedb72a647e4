import type { PlatformConfig } from "@hivematrix/lib/config";
import type { Deps } from "../deps.ts";
import { hostPort, isLoopback, type Listener, listeningSockets, pidListeningOn, processInfo } from "../system/proc.ts";
import { knownUnits } from "../system/units.ts";
import type { Health, ServiceRow, ServiceStatus } from "./json.ts";
import type { SupervisorClient } from "./supervisor-client.ts";

export async function probeHealth(url: string, timeoutMs = 2_000): Promise<Health> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.body?.cancel();
    const ms = Math.round(performance.now() - started);
    return res.ok ? { state: "healthy", ms } : { state: "unhealthy", ms, detail: `answered ${res.status}` };
  } catch (e) {
    return {
      state: "down",
      detail: (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : "not answering",
    };
  }
}

/**
 * Every unit of the platform with its live state: what the supervisor says (if it runs),
 * a /health probe, and the process's memory, uptime and real listening address from /proc.
 */
export async function collectStatus(
  config: PlatformConfig,
  supervisor: SupervisorClient,
  now = Date.now(),
): Promise<{ services: ServiceStatus[]; supervisorUp: boolean }> {
  const managed = await supervisor.list();
  const byName = new Map((managed ?? []).map((u) => [u.name, u]));
  const units = knownUnits(config).map((k) => {
    const u = byName.get(k.name);
    return u ? { ...k, title: u.title, healthUrl: u.healthUrl ?? k.healthUrl, state: u } : { ...k, state: null };
  });
  // Units the supervisor runs that configuration does not name (none today) are still shown.
  for (const u of managed ?? []) {
    if (!units.some((k) => k.name === u.name))
      units.push({
        name: u.name,
        title: u.title,
        host: u.host,
        port: u.port,
        url: u.url,
        healthUrl: u.healthUrl ?? `${u.url}/health`,
        state: u,
      });
  }
  const listeners: Listener[] = listeningSockets();
  const services = await Promise.all(
    units.map(async (u): Promise<ServiceStatus> => {
      const health = await probeHealth(u.healthUrl);
      const pid = u.state ? u.state.pid : pidListeningOn(u.port, listeners);
      const info = pid ? processInfo(pid, listeners) : null;
      const sockets = info?.alive ? info.listening : listeners.filter((l) => l.port === u.port);
      const startedAt = u.state?.startedAt ?? info?.startedAt?.toISOString() ?? null;
      return {
        name: u.name,
        title: u.title,
        url: u.url,
        host: u.host,
        port: u.port,
        supervisor: u.state
          ? {
              status: u.state.status,
              restarts: u.state.restarts,
              message: u.state.message,
              lastError: u.state.lastError,
              lastExit: u.state.lastExit,
            }
          : null,
        pid: info?.alive ? pid : null,
        startedAt: info?.alive ? startedAt : null,
        uptimeSeconds: info?.alive && startedAt ? Math.max(0, Math.round((now - Date.parse(startedAt)) / 1000)) : null,
        rssBytes: info?.alive ? info.rssBytes : null,
        listening: [...new Set(sockets.map((l) => hostPort(l.address, l.port)))],
        exposed: sockets.some((l) => !isLoopback(l.address)),
        health,
      };
    }),
  );
  return { services, supervisorUp: managed !== null };
}

/** Every unit's status with its traffic charts (the services page and GET /api/services). */
export async function servicesWithMetrics(
  deps: Pick<Deps, "config" | "supervisor" | "scraper">,
): Promise<{ services: ServiceRow[]; supervisorUp: boolean }> {
  const { services, supervisorUp } = await collectStatus(deps.config, deps.supervisor);
  return { supervisorUp, services: services.map((s) => ({ ...s, metrics: deps.scraper.series(s.name) })) };
}
