import { channel } from "@hivematrix/lib/pg-channel";
import type { BrainhairDb } from "../deps.ts";
import type { Signals } from "./signals.ts";

/**
 * Carries Signals between Brainhair's instances on PostgreSQL (LISTEN/NOTIFY on
 * `brainhair_signals`): an approval decided through one instance wakes the tool call waiting
 * on another at once. On SQLite (one instance) signals stay in the process. Returns what ends it.
 */
export function relaySignals(db: BrainhairDb, signals: Signals): () => Promise<void> {
  if (db.engine !== "postgres") return async () => {};
  const keys = channel<{ key: string }>(db, "brainhair_signals");
  keys.subscribe(({ key }) => {
    if (typeof key === "string") signals.wake(key);
  });
  signals.relayThrough((key) => keys.publish({ key }));
  return () => keys.close();
}
