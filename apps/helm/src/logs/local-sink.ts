import { toShippedLine } from "@hivematrix/lib/log-shipper";
import type { LogSink } from "@hivematrix/lib/log";
import { fromIngest, type NewLogLine } from "./json.ts";

/**
 * Helm's own log records go straight into its database (never over HTTP to itself): the sink
 * buffers them, and once the store is attached they are written in batches every `intervalMs`.
 */
export function createLocalLogSink(service: string, intervalMs = 250, maxBuffered = 10_000) {
  let pending: NewLogLine[] = [];
  let store: ((lines: NewLogLine[]) => Promise<void>) | null = null;
  let writing: Promise<void> | null = null;

  const write = (): Promise<void> => {
    if (writing || !store || pending.length === 0) return writing ?? Promise.resolve();
    const batch = pending;
    pending = [];
    writing = store(batch)
      .catch((e) => {
        // Not through the logger: that would feed this same sink.
        process.stderr.write(`helm: could not store ${batch.length} of its own log lines: ${(e as Error).message}\n`);
      })
      .finally(() => {
        writing = null;
      });
    return writing;
  };

  const timer = setInterval(() => void write(), intervalMs);
  timer.unref?.();

  const sink: LogSink = (record) => {
    pending.push(fromIngest(service, toShippedLine(record)));
    if (pending.length > maxBuffered) pending.splice(0, pending.length - maxBuffered);
  };

  return {
    sink,
    attach(fn: (lines: NewLogLine[]) => Promise<void>) {
      store = fn;
    },
    async flush() {
      await writing;
      await write();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export type LocalLogSink = ReturnType<typeof createLocalLogSink>;
