/**
 * `Idempotency-Key` for creates a client may retry (a dropped connection, a timeout): the first
 * request with a key runs and its answer is kept for 24 h; a retry with the same key and the same
 * request gets that answer again and writes nothing; the same key with a different request is a
 * 422; a retry while the first is still running waits for it, then gets its answer (or a 409 if
 * it runs too long). Keys belong to the caller (user or service), so nobody can replay another's.
 * On PostgreSQL the key, the request's writes and its answer commit together (idempotency-pg.ts),
 * so an instance killed in the middle leaves neither, and the retry on another instance runs it.
 *
 * An app keeps the keys in its own database: export `idempotencyKeys` from
 * `@hivematrix/lib/idempotency-table` in its schema.ts (so its migrations create the table), add
 * `idempotent(handle)` after the route's authentication, and purge expired keys on a timer with
 * `purgeIdempotencyKeys`.
 */
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app.ts";
import type { DbHandle } from "./db.ts";
import { HttpError } from "./errors.tsx";
import { inOneTransaction, stillRunning } from "./idempotency-pg.ts";
import type { idempotencyKeys } from "./idempotency-table.ts";

type KeysSchema = { idempotencyKeys: typeof idempotencyKeys };

export interface IdempotencyOptions {
  /** How long a key's answer is kept (default 24 h). */
  ttlMs?: number;
  /** How long a retry waits for the first request with its key to finish (default 10 s). */
  waitMs?: number;
  /**
   * A first request that has shown no answer for this long died with its process (default 5 min):
   * a retry then runs anew.
   */
  abandonedMs?: number;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

function callerOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string | null {
  const service = c.get("service");
  if (service) return `service:${service}`;
  const user = c.get("user");
  return user ? `user:${user.sub}` : null;
}

/**
 * An upload's body is streamed to disk by its route, so it cannot be read here: its key stands for
 * the method, path and query (the file's name) and the body's declared type and length.
 */
function streamedBodyOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  return `${c.req.header("content-type") ?? ""}\n${c.req.header("content-length") ?? ""}`;
}

/** The middleware: place it after the route's authentication, before its handler. */
export function idempotent<S extends KeysSchema>(
  handle: DbHandle<S>,
  options: IdempotencyOptions = {},
): MiddlewareHandler<AppEnv> {
  const ttlMs = options.ttlMs ?? 24 * 3600_000;
  const waitMs = options.waitMs ?? 10_000;
  const abandonedMs = options.abandonedMs ?? 5 * 60_000;
  const t = handle.t.idempotencyKeys;
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const caller = callerOf(c);
    if (key === undefined || caller === null) return next();
    if (!KEY.test(key))
      throw new HttpError(
        400,
        "invalid_idempotency_key",
        "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).",
      );
    const url = new URL(c.req.url);
    const path = url.pathname + url.search;
    const requestHash = createHash("sha256")
      .update(`${c.req.method}\n${path}\n`)
      .update(c.get("streamedBody") ? streamedBodyOf(c) : await c.req.text())
      .digest("hex");
    const mine = and(eq(t.caller, caller), eq(t.key, key));

    const claim = async (): Promise<boolean> => {
      const now = new Date();
      const inserted = await handle.db
        .insert(t)
        .values({
          caller,
          key,
          method: c.req.method,
          path,
          requestHash,
          createdAt: now,
          expiresAt: new Date(now.getTime() + ttlMs),
        })
        .onConflictDoNothing()
        .returning({ key: t.key });
      return inserted.length === 1;
    };

    /** What a request finding its key taken gets: the first answer, a 422, or null (claim it again). */
    const answerFromRow = async (): Promise<Response | "running" | null> => {
      const [row] = await handle.db.select().from(t).where(mine);
      if (!row) return null; // the first request failed and let its key go: claim it now
      const now = Date.now();
      const expired = row.expiresAt.getTime() <= now;
      const abandoned = row.status === null && row.createdAt.getTime() <= now - abandonedMs;
      if (expired || abandoned) {
        await handle.db.delete(t).where(and(mine, eq(t.createdAt, row.createdAt)));
        return null;
      }
      if (row.requestHash !== requestHash)
        throw new HttpError(
          422,
          "idempotency_key_reused",
          "This Idempotency-Key was already used for a different request; use a new key for a new request.",
          { method: row.method, path: row.path },
        );
      if (row.status === null) return "running";
      c.header("Idempotent-Replayed", "true");
      if (row.responseType) c.header("Content-Type", row.responseType);
      return c.body(row.responseBody ?? "", row.status as ContentfulStatusCode);
    };
    const keep = async () => {
      const responseBody = await c.res.clone().text();
      await handle.db
        .update(t)
        .set({ status: c.res.status, responseType: c.res.headers.get("content-type"), responseBody })
        .where(mine);
    };

    if (handle.engine === "postgres")
      return inOneTransaction(handle, { claim, answerFromRow, keep, next, waitMs, status: () => c.res.status });

    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await claim()) break;
      const answer = await answerFromRow();
      if (answer instanceof Response) return answer;
      if (answer === null) continue;
      if (Date.now() >= deadline) throw stillRunning();
      await Bun.sleep(100);
    }

    await next();
    // The request's answer stands even when keeping it fails (the key is then retried after
    // `abandonedMs`). A server-side failure keeps nothing, so the client's retry runs it again.
    try {
      if (c.res.status >= 500) await handle.db.delete(t).where(mine);
      else await keep();
    } catch (e) {
      c.get("log").warn("could not keep the answer to an Idempotency-Key", { error: e, key });
    }
  };
}

/** Deletes keys past their expiry; returns how many. */
export async function purgeIdempotencyKeys<S extends KeysSchema>(handle: DbHandle<S>, now = new Date()) {
  const t = handle.t.idempotencyKeys;
  const gone = await handle.db.delete(t).where(lt(t.expiresAt, now)).returning({ key: t.key });
  return gone.length;
}
