import type { Logger } from "@hivematrix/lib/log";
import type { ControlActionRow } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { recordAction } from "./data.ts";
import type { ControlAction } from "./supervisor-client.ts";

/** Stopping these from a browser would cut off the browser itself (sessions, gateway, Helm). */
export const NOT_FROM_BROWSER = new Set(["core", "nexus", "helm"]);
/** Acting on these ends the very request that asked (it passes through them), so it runs after the answer. */
const ON_REQUEST_PATH = new Set(["nexus", "helm"]);

export type ActionOutcome =
  | { status: 200; outcome: "done"; message: string; id: number }
  | { status: 202; outcome: "accepted"; message: string; id: number }
  | { status: 404 | 409 | 503; outcome: "failed" | "refused"; code: string; message: string; id: number };

export const PAST = { start: "Started", stop: "Stopped", restart: "Restarted" } as const;

/**
 * Starts, stops or restarts one service through the supervisor on behalf of `actor`, records
 * the action (with who asked) in the actions list and the log, and says how it went.
 */
export async function controlService(
  deps: Pick<Deps, "db" | "supervisor">,
  name: string,
  action: ControlAction,
  actor: string,
  log: Logger,
): Promise<ActionOutcome> {
  const record = async (outcome: ControlActionRow["outcome"], message: string): Promise<number> => {
    const id = await recordAction(deps.db, { service: name, action, actor, outcome, message });
    const fields = { user: actor, target: name, action, outcome };
    if (outcome === "failed") log.error(`${action} ${name} failed: ${message}`, fields);
    else if (outcome === "refused") log.warn(`${action} ${name} refused: ${message}`, fields);
    else log.info(`${action} ${name} by ${actor}: ${message}`, fields);
    return id;
  };

  const units = await deps.supervisor.list();
  if (!units) {
    const message = "No supervisor is running: start HiveMatrix with `bun run start` to control services from Helm.";
    const id = await record("failed", message);
    return { status: 503, outcome: "failed", code: "supervisor_unavailable", message, id };
  }
  if (!units.some((u) => u.name === name)) {
    const message = `The supervisor does not run a service named "${name}".`;
    return { status: 404, outcome: "refused", code: "unknown_service", message, id: await record("refused", message) };
  }
  if (action === "stop" && NOT_FROM_BROWSER.has(name)) {
    const message =
      `Stopping ${name} from Helm would lock you out of HiveMatrix;` +
      ` run \`bun run helm stop ${name}\` on the server instead.`;
    return { status: 409, outcome: "refused", code: "would_lock_out", message, id: await record("refused", message) };
  }
  const via = `${actor} via Helm`;
  if (ON_REQUEST_PATH.has(name)) {
    const message = `Asked the supervisor to ${action} ${name}; it is back within a few seconds.`;
    const id = await record("accepted", message);
    setTimeout(() => {
      void deps.supervisor.act(name, action, via).then((r) => {
        if (!r.ok)
          log.error(`${action} ${name} failed: ${r.message}`, { user: actor, target: name, action, outcome: "failed" });
      });
    }, 200);
    return { status: 202, outcome: "accepted", message, id };
  }
  const result = await deps.supervisor.act(name, action, via);
  if (!result.ok) {
    const status = result.status === 404 ? 404 : result.status === 503 ? 503 : 409;
    const id = await record("failed", result.message);
    return { status, outcome: "failed", code: result.code, message: result.message, id };
  }
  const message = `${PAST[action]} ${name}${result.service.pid ? ` (pid ${result.service.pid})` : ""}.`;
  return { status: 200, outcome: "done", message, id: await record("done", message) };
}

export type RestartAllOutcome =
  | { status: 202; outcome: "accepted"; message: string; id: number }
  | { status: 409 | 503; outcome: "failed" | "refused"; code: string; message: string; id: number };

/**
 * Asks the supervisor to restart every app in order (Core first, Nexus last, each waited for
 * until healthy) on behalf of `actor`. It answers at once: Helm is among the apps, so the
 * supervisor runs the sequence and the services page shows how far it got.
 */
export async function restartAllApps(
  deps: Pick<Deps, "db" | "supervisor">,
  actor: string,
  log: Logger,
): Promise<RestartAllOutcome> {
  const result = await deps.supervisor.restartAll(`${actor} via Helm`);
  const fields = { user: actor, target: "all", action: "restart-all" };
  const record = (outcome: ControlActionRow["outcome"], message: string) =>
    recordAction(deps.db, { service: "all", action: "restart-all", actor, outcome, message });
  if (!result.ok) {
    const refused = result.status === 409;
    const status = result.status === 503 ? 503 : 409;
    const message =
      result.status === 503
        ? "No supervisor is running: start HiveMatrix with `bun run start` to control services from Helm."
        : result.message;
    if (refused) log.warn(`restart all refused: ${message}`, { ...fields, outcome: "refused" });
    else log.error(`restart all failed: ${message}`, { ...fields, outcome: "failed" });
    const outcome = refused ? "refused" : "failed";
    return { status, outcome, code: result.code, message, id: await record(outcome, message) };
  }
  const message =
    `Restarting ${result.state.order.join(", ")} in that order, each once the one before is healthy;` +
    " Helm and Nexus are away for a few seconds each.";
  log.info(`restart all by ${actor}: ${message}`, { ...fields, outcome: "accepted" });
  return { status: 202, outcome: "accepted", message, id: await record("accepted", message) };
}
