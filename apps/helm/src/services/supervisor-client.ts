import { join } from "node:path";

/** A unit as the supervisor's control socket reports it (scripts/supervisor/supervisor.ts). */
export interface UnitState {
  name: string;
  title: string;
  /** `restarting`: it crashed or was not healthy in time and is being retried (see lastError). */
  status: "stopped" | "starting" | "running" | "restarting";
  pid: number | null;
  host: string;
  port: number;
  url: string;
  healthUrl?: string;
  startedAt: string | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  lastError: string | null;
  message: string | null;
}

export type ControlAction = "start" | "stop" | "restart";

/** A restart of every app, run by the supervisor (scripts/supervisor/restart-all.ts). */
export interface RestartAllState {
  status: "running" | "done" | "failed";
  by: string | null;
  startedAt: string;
  finishedAt: string | null;
  order: string[];
  done: string[];
  current: string | null;
  skipped: string[];
  error: string | null;
}

export type RestartAllResult =
  | { ok: true; state: RestartAllState }
  | { ok: false; status: number; code: string; message: string };

export type ActResult = { ok: true; service: UnitState } | { ok: false; status: number; code: string; message: string };

export function controlSocketPath(home: string): string {
  return join(home, "run", "supervisor.sock");
}

/**
 * Talks to `bun run start`'s supervisor over its Unix socket (HIVEMATRIX_HOME/run/supervisor.sock,
 * reachable only by the user running HiveMatrix). It is the one process manager; Helm and
 * `bun run helm` only ask it.
 */
export function supervisorClient(home: string) {
  const path = controlSocketPath(home);
  return {
    path,
    /** Every unit, or null when no supervisor answers. */
    async list(): Promise<UnitState[] | null> {
      try {
        const res = await fetch("http://supervisor/services", { unix: path, signal: AbortSignal.timeout(2_000) });
        if (!res.ok) return null;
        return ((await res.json()) as { services: UnitState[] }).services;
      } catch {
        return null;
      }
    },
    /** The last restart of every app (running or finished); null when there was none or no supervisor answers. */
    async restartAllState(): Promise<RestartAllState | null> {
      try {
        const res = await fetch("http://supervisor/restart-all", { unix: path, signal: AbortSignal.timeout(2_000) });
        if (!res.ok) return null;
        return ((await res.json()) as { restartAll: RestartAllState | null }).restartAll;
      } catch {
        return null;
      }
    },
    /** Asks the supervisor to restart every app in order; it answers at once and goes on by itself. */
    async restartAll(actor: string): Promise<RestartAllResult> {
      const answer = await ask(path, "/restart-all", actor, 10_000);
      if (!answer.ok) return answer;
      const body = answer.body as { restartAll?: RestartAllState } | null;
      if (body?.restartAll) return { ok: true, state: body.restartAll };
      return { ok: false, status: 502, code: "control_failed", message: "The supervisor's answer named no restart." };
    },
    /** Asks for an action and waits for it (a start waits for /health, up to Keycloak's 3 minutes). */
    async act(name: string, action: ControlAction, actor: string): Promise<ActResult> {
      const answer = await ask(path, `/services/${encodeURIComponent(name)}/${action}`, actor, 200_000);
      if (!answer.ok) return answer;
      const body = answer.body as { service?: UnitState } | null;
      if (body?.service) return { ok: true, service: body.service };
      return { ok: false, status: 502, code: "control_failed", message: "The supervisor's answer named no service." };
    },
  };
}

type Answer = { ok: true; body: unknown } | { ok: false; status: number; code: string; message: string };

/** POSTs to the control socket on behalf of `actor`; a refusal or no answer comes back as a message. */
async function ask(path: string, route: string, actor: string, timeoutMs: number): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(`http://supervisor${route}`, {
      unix: path,
      method: "POST",
      headers: { "x-hivematrix-actor": actor },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return {
      ok: false,
      status: 503,
      code: "supervisor_unavailable",
      message: `No supervisor answers at ${path}: HiveMatrix was not started with \`bun run start\`.`,
    };
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (res.ok) return { ok: true, body };
  return {
    ok: false,
    status: res.status,
    code: body?.error?.code ?? "control_failed",
    message: body?.error?.message ?? `The supervisor answered ${res.status}.`,
  };
}

export type SupervisorClient = ReturnType<typeof supervisorClient>;
