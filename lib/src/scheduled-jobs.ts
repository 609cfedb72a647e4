import type { DbHandle } from "./db.ts";

/** The advisory-lock namespace of scheduled jobs (the first key of pg_try_advisory_lock(int, int)). */
const JOB_LOCK_SPACE = 0x484d4a42;

/** The advisory lock (in its own namespace) under which an instance creates the ticks table. */
const TICKS_TABLE_LOCK = [JOB_LOCK_SPACE + 1, 0] as const;

/**
 * Which tick of each job last ran, on PostgreSQL only (SQLite runs one instance). It is lib's
 * table, not an app's: every app's database gets it from lib the first time a job runs there,
 * created idempotently under an advisory lock (two instances starting together do not race on
 * the catalogue), so no app's migrations carry it and drizzle-kit never sees it. It holds one
 * row per job; dropping it only lets each job's next tick run again.
 */
const CREATE_TICKS =
  "CREATE TABLE IF NOT EXISTS hivematrix_job_ticks (job text PRIMARY KEY, tick bigint NOT NULL, ran_at timestamptz NOT NULL)";

export type ScheduledOutcome<T> =
  | { ran: true; value: T }
  | { ran: false; reason: "running elsewhere" | "tick already ran" };

// biome-ignore lint/suspicious/noExplicitAny: any app's schema
type AnyHandle = DbHandle<any>;

const ticksReady = new WeakMap<object, Promise<void>>();

/** Creates the ticks table once per handle; a failure is tried again at the next run. */
function ensureTicks(handle: AnyHandle): Promise<void> {
  let ready = ticksReady.get(handle);
  if (!ready) {
    ready = handle
      .pg!.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${TICKS_TABLE_LOCK[0]}, ${TICKS_TABLE_LOCK[1]})`;
        await tx.unsafe(CREATE_TICKS);
      })
      .then(() => undefined);
    ready.catch(() => ticksReady.delete(handle));
    ticksReady.set(handle, ready);
  }
  return ready;
}

/**
 * Runs one tick of a scheduled job on one instance only. On PostgreSQL the job's advisory lock is
 * taken on a connection reserved for the run (so a holder that crashes releases it with its
 * connection), then the tick is claimed in one statement: an instance whose timer fires for a
 * tick another already ran, or while another runs the job, skips it. `tick` numbers the job's
 * occurrences (the cron time in ms, or Date.now() divided by an interval job's period). On SQLite
 * there is one instance: it just runs.
 */
export async function runScheduled<T>(
  handle: AnyHandle,
  job: string,
  tick: number,
  run: () => Promise<T>,
): Promise<ScheduledOutcome<T>> {
  if (handle.engine !== "postgres" || !handle.pg) return { ran: true, value: await run() };
  await ensureTicks(handle);
  const connection = await handle.pg.reserve();
  try {
    const [lock] = await connection`SELECT pg_try_advisory_lock(${JOB_LOCK_SPACE}, hashtext(${job})) AS locked`;
    if (!lock?.locked) return { ran: false, reason: "running elsewhere" };
    try {
      const claimed = await connection`
        INSERT INTO hivematrix_job_ticks (job, tick, ran_at) VALUES (${job}, ${tick}, now())
        ON CONFLICT (job) DO UPDATE SET tick = excluded.tick, ran_at = excluded.ran_at
        WHERE hivematrix_job_ticks.tick < excluded.tick
        RETURNING job`;
      if (claimed.length === 0) return { ran: false, reason: "tick already ran" };
      return { ran: true, value: await run() };
    } finally {
      await connection`SELECT pg_advisory_unlock(${JOB_LOCK_SPACE}, hashtext(${job}))`.catch(() => {});
    }
  } finally {
    connection.release();
  }
}

/** The tick of an interval job at `now`: one per period, whichever instance's timer fires first in it. */
export function intervalTick(periodMs: number, now = Date.now()): number {
  return Math.floor(now / periodMs);
}
