import type { PlatformConfig } from "@hivematrix/lib/config";
import type { Deps } from "../deps.ts";
import { hostPort, isLoopback, type Listener, listeningSockets, pidListeningOn, processInfo } from "../system/proc.ts";
import { knownUnits } from "../system/units.ts";
import type { Health, ServiceRow, ServiceStatus } from "./json.ts";
import type { RestartAllState, SupervisorClient } from "./supervisor-client.ts";

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
  const byName = new Map((managed ?? []).map((unit) => [unit.name, unit]));
  const units = knownUnits(config).map((known) => {
    const state = byName.get(known.name);
    if (!state) return { ...known, state: null };
    return { ...known, title: state.title, healthUrl: state.healthUrl ?? known.healthUrl, state };
  });
  // Units the supervisor runs that configuration does not name (none today) are still shown.
  for (const state of managed ?? []) {
    if (!units.some((known) => known.name === state.name))
      units.push({
        name: state.name,
        title: state.title,
        host: state.host,
        port: state.port,
        url: state.url,
        healthUrl: state.healthUrl ?? `${state.url}/health`,
        state,
      });
  }
  const listeners: Listener[] = listeningSockets();
  const services = await Promise.all(
    units.map(async (unit): Promise<ServiceStatus> => {
      const health = await probeHealth(unit.healthUrl);
      const pid = unit.state ? unit.state.pid : pidListeningOn(unit.port, listeners);
      const info = pid ? processInfo(pid, listeners) : null;
      const sockets = info?.alive ? info.listening : listeners.filter((l) => l.port === unit.port);
      const startedAt = unit.state?.startedAt ?? info?.startedAt?.toISOString() ?? null;
      return {
        name: unit.name,
        title: unit.title,
        url: unit.url,
        host: unit.host,
        port: unit.port,
        supervisor: unit.state
          ? {
              status: unit.state.status,
              restarts: unit.state.restarts,
              message: unit.state.message,
              lastError: unit.state.lastError,
              lastExit: unit.state.lastExit,
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

/** Every unit's status with its traffic charts, and the last restart of all (services page, GET /api/services). */
export async function servicesWithMetrics(
  deps: Pick<Deps, "config" | "supervisor" | "scraper">,
): Promise<{ services: ServiceRow[]; supervisorUp: boolean; restartAll: RestartAllState | null }> {
  const [{ services, supervisorUp }, restartAll] = await Promise.all([
    collectStatus(deps.config, deps.supervisor),
    deps.supervisor.restartAllState(),
  ]);
  return {
    supervisorUp,
    services: services.map((s) => ({ ...s, metrics: deps.scraper.series(s.name) })),
    restartAll,
  };
}
