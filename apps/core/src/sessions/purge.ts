import { intervalTick, runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { Deps } from "../deps.ts";
import { purgeExpiredSessions } from "./data.ts";

/** Deletes expired sessions on Core's timer, once per period across Core's instances; returns the function that stops it. */
export function startSessionPurge(deps: Pick<Deps, "db" | "logger" | "settings">): () => void {
  const timer = setInterval(async () => {
    if (!deps.db.ready) return;
    try {
      const period = deps.settings.purgeIntervalMs;
      const purged = await runScheduled(deps.db, "core:session-purge", intervalTick(period), () =>
        purgeExpiredSessions(deps.db),
      );
      if (purged.ran && purged.value) deps.logger.info("purged expired sessions", { count: purged.value });
    } catch (e) {
      deps.logger.error("session purge failed", { error: e });
    }
  }, deps.settings.purgeIntervalMs);
  return () => clearInterval(timer);
}
