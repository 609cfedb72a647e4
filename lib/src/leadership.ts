import type { ReservedSql } from "postgres";
import type { DbHandle } from "./db.ts";

/** The advisory-lock namespace of leaderships (the first key of pg_try_advisory_lock(int, int)). */
const LEADER_LOCK_SPACE = 0x484d4c44;

/** How often an instance that does not lead tries to, and a leader checks it still holds the lock. */
const DEFAULT_CHECK_MS = 5_000;

export interface Leadership {
  /** Whether this instance does the work now (once its latest try is answered); on SQLite always. */
  leads(): Promise<boolean>;
  /** Gives the lead up (the process stopping), so another instance takes it at its next try. */
  stop(): Promise<void>;
}

/**
 * One instance of an app at a time for continuous work that two would double (Helm's metrics
 * scraper keeps the previous scrape of each app in memory to turn the next into a point): the
 * instance holding PostgreSQL's advisory lock `name` on a connection it keeps for it. A leader
 * that crashes releases the lock with its connection; the others try every `checkMs` and one
 * takes over. On SQLite there is one instance: it leads.
 */
// biome-ignore lint/suspicious/noExplicitAny: any app's schema
export function leadership(handle: DbHandle<any>, name: string, checkMs = DEFAULT_CHECK_MS): Leadership {
  if (handle.engine !== "postgres" || !handle.pg) return { leads: async () => true, stop: async () => {} };
  const pg = handle.pg;
  let held: ReservedSql | null = null;
  let stopped = false;

  const letGo = () => {
    held?.release();
    held = null;
  };
  const check = async () => {
    if (held) {
      // A connection lost (the database restarted) took the lock with it.
      await held`SELECT 1`.catch(letGo);
      return;
    }
    const connection = await pg.reserve().catch(() => null);
    if (!connection) return;
    const [row] =
      await connection`SELECT pg_try_advisory_lock(${LEADER_LOCK_SPACE}, hashtext(${name})) AS locked`.catch(() => []);
    if (row?.locked && !stopped) held = connection;
    else connection.release();
  };
  let running = check();
  const timer = setInterval(() => {
    running = running.then(check);
  }, checkMs);
  timer.unref();

  return {
    async leads() {
      await running;
      return held !== null;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      if (held) await held`SELECT pg_advisory_unlock(${LEADER_LOCK_SPACE}, hashtext(${name}))`.catch(() => {});
      letGo();
    },
  };
}
