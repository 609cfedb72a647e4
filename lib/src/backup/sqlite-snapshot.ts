import { statSync } from "node:fs";
import { OperationRefused } from "./errors.ts";
import type { SnapshotMessage, SnapshotRequest } from "./sqlite-worker.ts";

export interface SqliteSnapshot {
  bytes: number;
  schema: { migrations: number; latest: number | null } | null;
}

/**
 * Copies a live SQLite database to `target` with VACUUM INTO: a consistent snapshot while the
 * apps go on writing (WAL mode lets them). `onBytes(done, total)` follows the copy as it grows.
 */
export function snapshotSqlite(
  source: string,
  target: string,
  onBytes: (done: number, total: number) => void,
  busyTimeoutMs = 60_000,
): Promise<SqliteSnapshot> {
  const worker = new Worker(new URL("./sqlite-worker.ts", import.meta.url).href);
  let total = 0;
  const sizeNow = () => statSync(target, { throwIfNoEntry: false })?.size ?? 0;
  const timer = setInterval(() => onBytes(sizeNow(), total), 250);
  return new Promise<SqliteSnapshot>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SnapshotMessage>) => {
      const message = event.data;
      if (message.type === "size") {
        total = message.bytes;
        return;
      }
      clearInterval(timer);
      worker.terminate();
      if (message.type === "error")
        return reject(
          new OperationRefused(
            `cannot copy the SQLite database ${source}: ${message.message}${message.code ? ` [${message.code}]` : ""}`,
          ),
        );
      const bytes = sizeNow();
      onBytes(bytes, bytes);
      resolve({ bytes, schema: message.schema });
    };
    worker.onerror = (event) => {
      clearInterval(timer);
      worker.terminate();
      reject(new OperationRefused(`cannot copy the SQLite database ${source}: ${event.message}`));
    };
    const request: SnapshotRequest = { source, target, busyTimeoutMs };
    worker.postMessage(request);
  });
}
