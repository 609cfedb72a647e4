// What a server process does with an error nothing caught: log it, and keep serving when that is safe.
import { isDatabaseUnavailable } from "./db-errors.ts";
import type { Logger } from "./log.ts";

// A socket to a peer that went away: the error belongs to that one connection.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTCONN",
  "ERR_STREAM_DESTROYED",
  "ERR_STREAM_WRITE_AFTER_END",
]);

/**
 * True for an error that concerns one connection rather than this process's own state: a
 * database or peer that went away, or postgres.js writing to a socket it had already dropped
 * (seen as "TypeError … socket.write" during outages). Surviving those keeps every other request
 * served; anything else may have left half-updated state behind, so the process exits and its
 * supervisor starts it afresh.
 */
export function isSurvivable(e: unknown): boolean {
  if (isDatabaseUnavailable(e)) return true;
  if (!e || typeof e !== "object") return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  const stack = String((e as Error).stack ?? "");
  return /node_modules[\\/](\.bun[\\/][^\\/]+[\\/]node_modules[\\/])?postgres[\\/]/.test(stack);
}

let installed = false;

/**
 * Process-wide handlers for errors no request caught. A rejected promise nobody awaited (a
 * background task's failure) is logged and the process goes on; an uncaught exception is
 * survived only when `isSurvivable` says it concerned one connection, otherwise it is logged and
 * the process exits with code 1.
 */
export function installProcessGuards(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)) {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    logger.error("a background task failed and nothing handled it; still serving", { error: reason });
  });
  process.on("uncaughtException", (error) => {
    if (isSurvivable(error)) {
      logger.error("an error on one connection was not handled; still serving", { error });
      return;
    }
    logger.error("uncaught error; exiting so the supervisor restarts this service", { error });
    exit(1);
  });
}
