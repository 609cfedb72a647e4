import type { Deps } from "../deps.ts";
import { purgeExpiredSessions } from "./data.ts";

/** Deletes expired sessions on Core's timer; returns the function that stops it. */
export function startSessionPurge(deps: Pick<Deps, "db" | "logger" | "settings">): () => void {
  const timer = setInterval(async () => {
    if (!deps.db.ready) return;
    try {
      const n = await purgeExpiredSessions(deps.db);
      if (n) deps.logger.info("purged expired sessions", { count: n });
    } catch (e) {
      deps.logger.error("session purge failed", { error: e });
    }
  }, deps.settings.purgeIntervalMs);
  return () => clearInterval(timer);
}
