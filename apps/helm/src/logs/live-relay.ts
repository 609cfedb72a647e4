import type { Logger } from "@hivematrix/lib/log";
import { channel } from "@hivematrix/lib/pg-channel";
import type { HelmDb } from "../deps.ts";
import { linesById } from "./data.ts";
import type { LiveTail } from "./live.ts";

/** Ids per notification: well under PostgreSQL's 8000-byte payload. */
const IDS_PER_MESSAGE = 500;

/**
 * Live tails across Helm's instances (PostgreSQL): the instance that stores lines announces
 * their ids on `helm_log_lines`, and each instance with a tail open reads those lines back and
 * pushes them to its streams, so a tail sees every line whichever instance ingested it. On
 * SQLite (one instance) lines go straight to the tails. Returns what ends it.
 */
export function relayLiveTail(db: HelmDb, live: LiveTail, logger: Pick<Logger, "warn">): () => Promise<void> {
  if (db.engine !== "postgres") return async () => {};
  const stored = channel<{ ids: number[] }>(db, "helm_log_lines");
  live.relayThrough(async (lines) => {
    for (let i = 0; i < lines.length; i += IDS_PER_MESSAGE)
      await stored.publish({ ids: lines.slice(i, i + IDS_PER_MESSAGE).map((line) => line.id) });
  });
  stored.subscribe(({ ids }) => {
    if (!live.watched || !Array.isArray(ids)) return;
    void linesById(
      db,
      ids.filter((id) => Number.isSafeInteger(id)),
    )
      .then((lines) => live.deliver(lines))
      .catch((e: unknown) => logger.warn("live tail: cannot read lines another instance stored", { error: e }));
  });
  return () => stored.close();
}
