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
    /** Asks for an action and waits for it (a start waits for /health, up to Keycloak's 3 minutes). */
    async act(name: string, action: ControlAction, actor: string): Promise<ActResult> {
      let res: Response;
      try {
        res = await fetch(`http://supervisor/services/${encodeURIComponent(name)}/${action}`, {
          unix: path,
          method: "POST",
          headers: { "x-hivematrix-actor": actor },
          signal: AbortSignal.timeout(200_000),
        });
      } catch {
        return {
          ok: false,
          status: 503,
          code: "supervisor_unavailable",
          message: `No supervisor answers at ${path}: HiveMatrix was not started with \`bun run start\`.`,
        };
      }
      const body = (await res.json().catch(() => null)) as {
        service?: UnitState;
        error?: { code: string; message: string };
      } | null;
      if (res.ok && body?.service) return { ok: true, service: body.service };
      return {
        ok: false,
        status: res.status,
        code: body?.error?.code ?? "control_failed",
        message: body?.error?.message ?? `The supervisor answered ${res.status}.`,
      };
    },
  };
}

export type SupervisorClient = ReturnType<typeof supervisorClient>;
