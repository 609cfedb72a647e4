// What an app says about its database: /health's database field and the 503 while it is not ready.
import type { Context, MiddlewareHandler } from "hono";
import { healthPayload } from "./app.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "./db-errors.ts";
import type { DbHandle } from "./db.ts";
import { HttpError } from "./errors.tsx";

export type DatabaseStatus = "ok" | "starting" | "unavailable";

/**
 * `starting` until the database first answered and was migrated, then `ok` when `SELECT 1`
 * answers within the connect timeout, else `unavailable`.
 */
export async function databaseStatus<S extends Record<string, unknown>>(handle: DbHandle<S>): Promise<DatabaseStatus> {
  if (!handle.ready) return "starting";
  if (handle.sqlite) {
    try {
      handle.sqlite.query("SELECT 1").get();
      return "ok";
    } catch {
      return "unavailable";
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"unavailable">((resolve) => {
    timer = setTimeout(() => resolve("unavailable"), handle.timeouts.connectMs);
  });
  const probe = handle.pg!`SELECT 1`.then(
    () => "ok" as const,
    () => "unavailable" as const,
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** /health for an app with a database: 200 when it answers, 503 (`starting` or `unavailable`) otherwise. */
export async function healthWithDatabase<S extends Record<string, unknown>>(
  c: Context,
  service: string,
  version: string,
  handle: DbHandle<S>,
  extra: Record<string, unknown> = {},
): Promise<Response> {
  const status = await databaseStatus(handle);
  const body = {
    ...healthPayload(service, version, extra),
    ...(status === "ok" ? {} : { status }),
    database: { engine: handle.engine, status },
  };
  if (status !== "ok") c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
  return c.json(body, status === "ok" ? 200 : 503);
}

/**
 * Until the database has answered and been migrated, every request but /health and /metrics is
 * answered 503 `database_unavailable` with Retry-After: the app listens (so its supervisor and
 * Helm see it starting) while it waits for its database.
 */
export function requireDatabaseReady<S extends Record<string, unknown>>(handle: DbHandle<S>): MiddlewareHandler {
  return async (c, next) => {
    if (handle.ready) return next();
    const path = new URL(c.req.url).pathname;
    if (path === "/health" || path === "/metrics") return next();
    throw new HttpError(
      503,
      "database_unavailable",
      "This service is starting and waiting for its database. Try again shortly.",
      null,
      { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  };
}
