import { sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { transaction } from "./db.ts";
import { HttpError } from "./errors.tsx";

/** A request with the key is still running and did not finish within the wait. */
export function stillRunning(): HttpError {
  return new HttpError(
    409,
    "idempotency_key_in_use",
    "A request with this Idempotency-Key is still running; retry shortly to get its answer.",
    null,
    { "Retry-After": "1" },
  );
}

export interface KeyedRequest {
  /** Inserts the key's row; false when it is there already. */
  claim(): Promise<boolean>;
  /** The first request's answer, null when the key may be claimed again, "running" when it has none yet. */
  answerFromRow(): Promise<Response | "running" | null>;
  /** Stores this request's answer on the key's row. */
  keep(): Promise<void>;
  next(): Promise<void>;
  status(): number;
  waitMs: number;
}

/** A server-side failure: the request's writes and its key are rolled back, its answer still sent. */
class FailedRequest extends Error {}

function codeOf(e: unknown): unknown {
  for (let cur = e, i = 0; cur && typeof cur === "object" && i < 5; cur = (cur as { cause?: unknown }).cause, i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * The key's row, the request's own writes and its answer in one transaction (`handle.db` is that
 * transaction while the route runs). An instance killed in the middle commits none of them, so
 * the client's retry (or Nexus's, on another instance) runs the request anew instead of waiting
 * out a row nobody will finish; a retry arriving while the first still runs waits on the row's
 * uncommitted insert, then replays the answer it committed. A route that answers 4xx from a
 * failed statement keeps that answer with its writes undone (the savepoint).
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's schema
export async function inOneTransaction(handle: DbHandle<any>, request: KeyedRequest): Promise<Response | undefined> {
  try {
    return await transaction(handle, async () => {
      const [setting] = await handle.db.execute<{ lock_timeout: string }>(sql`SHOW lock_timeout`);
      await handle.db.execute(sql`SELECT set_config('lock_timeout', ${`${request.waitMs}ms`}, true)`);
      for (;;) {
        const claimed = await request.claim().catch((e: unknown) => {
          throw codeOf(e) === "55P03" ? stillRunning() : e;
        });
        if (claimed) break;
        const answer = await request.answerFromRow();
        if (answer instanceof Response) return answer;
        // Committed rows without an answer come from a process that kept its key outside a transaction.
        if (answer === "running") throw stillRunning();
      }
      await handle.db.execute(sql`SELECT set_config('lock_timeout', ${setting?.lock_timeout ?? "0"}, true)`);
      await handle.db.execute(sql`SAVEPOINT idempotent_request`);
      await request.next();
      await handle.db
        .execute(sql`RELEASE SAVEPOINT idempotent_request`)
        .catch(() => handle.db.execute(sql`ROLLBACK TO SAVEPOINT idempotent_request`));
      if (request.status() >= 500) throw new FailedRequest();
      await request.keep();
      return undefined;
    });
  } catch (e) {
    if (e instanceof FailedRequest) return undefined;
    throw e;
  }
}
