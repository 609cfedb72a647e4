// Runs VACUUM INTO off the main thread: it is one blocking statement, and the thread that asked
// for it keeps reporting progress (the copy's growing size) and, in Helm, serving requests.
import { Database } from "bun:sqlite";

declare const self: Worker;

export interface SnapshotRequest {
  source: string;
  target: string;
  busyTimeoutMs: number;
}

export type SnapshotMessage =
  | { type: "size"; bytes: number }
  | { type: "done"; schema: { migrations: number; latest: number | null } | null }
  | { type: "error"; message: string; code: string | null };

function post(message: SnapshotMessage) {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<SnapshotRequest>) => {
  const { source, target, busyTimeoutMs } = event.data;
  try {
    const db = new Database(source, { create: false, strict: true });
    try {
      // A writer holding the lock makes the snapshot wait, never fail at once.
      db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      const pragma = (name: string) => (db.query(`PRAGMA ${name}`).get() as Record<string, number>)[name] ?? 0;
      post({ type: "size", bytes: (pragma("page_count") - pragma("freelist_count")) * pragma("page_size") });
      // One read transaction: a consistent copy of the database as of its start, WAL included.
      db.query("VACUUM INTO ?").run(target);
    } finally {
      db.close();
    }
    post({ type: "done", schema: migrationsOf(target) });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    post({ type: "error", message: (e as Error).message, code: typeof code === "string" ? code : null });
  }
};

/** The drizzle migrations a SQLite file has applied (lib/db migrates every app's database). */
function migrationsOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const table = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!table) return null;
    const row = db.query("SELECT count(*) AS n, max(created_at) AS latest FROM __drizzle_migrations").get() as {
      n: number;
      latest: number | null;
    };
    return { migrations: row.n, latest: row.latest === null ? null : Number(row.latest) };
  } finally {
    db.close();
  }
}
