import { chmodSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { lastResort } from "@hivematrix/lib/last-resort";
import { restartAllSequence } from "./restart-all.ts";
import type { Supervisor } from "./supervisor.ts";

/**
 * A restart answers once the unit is healthy again (up to its stop and start timeouts), longer
 * than Bun's 10 s idle timeout. Bun honours idleTimeout on a unix socket; its types leave it out.
 */
const NO_IDLE_TIMEOUT = { idleTimeout: 0 } as object;

export function controlSocketPath(home: string): string {
  return join(home, "run", "supervisor.sock");
}

/** Whether a supervisor answers on this install's control socket (a socket file alone may be stale). */
export async function supervisorAnswers(home: string): Promise<boolean> {
  const path = controlSocketPath(home);
  if (!existsSync(path)) return false;
  return fetch("http://supervisor/services", { unix: path, signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    () => false,
  );
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const error = (status: number, code: string, message: string) =>
  json({ error: { code, message, details: null } }, status);

/**
 * The supervisor's control API, HTTP over a Unix socket only this user can open
 * (HIVEMATRIX_HOME/run, mode 0700): Helm and `bun run helm` use it to see and control units.
 *   GET  /services                      → { services: UnitState[] }
 *   POST /services/<name>/start|stop|restart → { service: UnitState }
 *   GET  /restart-all                   → { restartAll: RestartAllState | null } (the last one)
 *   POST /restart-all                   → 202 { restartAll } at once; 409 while one runs
 * A POST may name who asked in `X-HiveMatrix-Actor` (e.g. "alice via Helm"); it is printed
 * with the action so the supervisor's output says who stopped what.
 */
export async function serveControlSocket(home: string, supervisor: Supervisor) {
  const path = controlSocketPath(home);
  if (await supervisorAnswers(home))
    throw new Error(`another \`bun run start\` is already running for ${home} (control socket ${path} answers)`);
  rmSync(path, { force: true });
  const restartAll = restartAllSequence(supervisor);
  const actorOf = (req: Request) =>
    (req.headers.get("x-hivematrix-actor") ?? "").replace(/[^\w.@ :()-]/g, "").slice(0, 100);
  const guard = lastResort({
    error: (message, fields) => supervisor.note(`control socket: ${message}: ${(fields?.error as Error)?.message}`),
  });
  const server = Bun.serve({
    unix: path,
    ...NO_IDLE_TIMEOUT,
    error: guard.error,
    fetch: guard.fetch(async (req) => {
      const url = new URL(req.url);
      if (req.method === "GET" && url.pathname === "/services") return json({ services: supervisor.status() });
      if (url.pathname === "/restart-all") {
        if (req.method === "GET") return json({ restartAll: restartAll.state() });
        if (req.method !== "POST") return error(405, "method_not_allowed", "Use GET or POST.");
        const started = restartAll.start(actorOf(req) || null);
        if (!started) return error(409, "restart_all_running", "A restart of every app is already under way.");
        return json({ restartAll: started }, 202);
      }
      const m = /^\/services\/([a-z0-9-]+)\/(start|stop|restart)$/.exec(url.pathname);
      if (!m) return error(404, "not_found", `Nothing at ${url.pathname}.`);
      if (req.method !== "POST") return error(405, "method_not_allowed", "Use POST.");
      const [, name, action] = m as unknown as [string, string, "start" | "stop" | "restart"];
      if (!supervisor.has(name)) return error(404, "unknown_service", `No service named "${name}".`);
      const actor = actorOf(req);
      supervisor.note(`${action} ${name} requested${actor ? ` by ${actor}` : ""}`);
      try {
        await supervisor[action](name);
      } catch (e) {
        return error(409, `${action}_failed`, (e as Error).message);
      }
      return json({ service: supervisor.status().find((s) => s.name === name) });
    }),
  });
  chmodSync(path, 0o600);
  return {
    path,
    stop() {
      server.stop(true);
      rmSync(path, { force: true });
    },
  };
}
