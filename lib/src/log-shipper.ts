import { readInt } from "./config.ts";
import type { LogRecord, LogSink } from "./log.ts";

/** The service that collects every app's logs (POST /api/logs/ingest). */
export const LOG_COLLECTOR = "helm";

/** Limits Helm's ingest enforces; the shipper trims records to fit so valid lines are never refused. */
export const INGEST_LIMITS = {
  linesPerRequest: 5_000,
  /** Helm accepts bodies up to 8 MiB; batches stay well under. */
  batchBytes: 4 * 1024 * 1024,
  messageChars: 10_000,
  contextBytes: 16_384,
  userChars: 200,
} as const;

/** One line as sent to Helm: the record minus its service (Helm takes that from the token). */
export interface ShippedLine {
  timestamp: string;
  level: LogRecord["level"];
  message: string;
  request_id?: string;
  user?: string;
  context?: Record<string, unknown>;
}

export interface ShipperSettings {
  /** Most lines held while Helm is unreachable; beyond it the oldest are dropped and counted. */
  bufferLines: number;
  /** How often buffered lines are sent (a full batch goes at once). */
  flushIntervalMs: number;
  batchLines: number;
  /** Retry delay after a failed send: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
}

type Env = Record<string, string | undefined>;

/** HIVEMATRIX_LOG_BUFFER_LINES (default 10000) and HIVEMATRIX_LOG_FLUSH_MS (default 1000), read once. */
export function shipperSettings(env: Env = process.env): ShipperSettings {
  const int = (name: string, fallback: number, min: number, max: number) => readInt(env, name, fallback, min, max);
  const flushIntervalMs = int("HIVEMATRIX_LOG_FLUSH_MS", 1_000, 50, 60_000);
  return {
    bufferLines: int("HIVEMATRIX_LOG_BUFFER_LINES", 10_000, 10, 1_000_000),
    flushIntervalMs,
    batchLines: 1_000,
    minBackoffMs: Math.max(500, flushIntervalMs),
    maxBackoffMs: 15_000,
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** No stored text may hold NUL (Helm refuses it; PostgreSQL cannot store it): it ships as U+FFFD. */
const withoutNul = (text: string) => (text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text);
/** The same in JSON text, where NUL is always written \u0000 and a real backslash \\. */
const jsonWithoutNul = (json: string) =>
  json.includes("\\u0000") ? json.replace(/\\(\\|u0000)/g, (m, g: string) => (g === "u0000" ? "\\ufffd" : m)) : json;

/** A log record as Helm's ingest accepts it: limits applied, extra fields under `context`. */
export function toShippedLine(record: LogRecord): ShippedLine {
  const { timestamp, level, service: _service, message, request_id, user, ...rest } = record;
  const line: ShippedLine = {
    timestamp,
    level,
    message: withoutNul(truncate(String(message), INGEST_LIMITS.messageChars)),
  };
  if (typeof request_id === "string" && REQUEST_ID.test(request_id)) line.request_id = request_id;
  if (typeof user === "string" && user) line.user = withoutNul(truncate(user, INGEST_LIMITS.userChars));
  if (Object.keys(rest).length > 0) {
    let json: string;
    try {
      json = jsonWithoutNul(JSON.stringify(rest));
    } catch {
      json = JSON.stringify({ unserializable: Object.keys(rest) });
    }
    line.context =
      Buffer.byteLength(json) <= INGEST_LIMITS.contextBytes
        ? JSON.parse(json)
        : { truncated: true, preview: truncate(json, 1_000) };
  }
  return line;
}

/** What a send attempt did: delivered, worth retrying, or refused for good (retrying cannot help). */
export type SendOutcome = "sent" | "retry" | "rejected";

export interface LogShipperOptions extends ShipperSettings {
  /** Posts one batch to the collector. */
  send(lines: ShippedLine[]): Promise<SendOutcome>;
  /** Receives the shipper's own records (e.g. how many lines it dropped); they ship like any other. */
  report(level: "warn" | "info", message: string, fields: Record<string, unknown>): void;
  /** Prints a line locally only (state changes while the collector is down). */
  note(message: string): void;
}

export interface LogShipper {
  sink: LogSink;
  /** Sends what is buffered, waiting at most `timeoutMs` (used when the app stops). */
  flush(timeoutMs?: number): Promise<void>;
  stop(): void;
  stats(): { buffered: number; dropped: number; sent: number; rejected: number };
}

/**
 * Ships log records to Helm in batches without ever blocking the caller: the sink only appends
 * to a bounded in-memory buffer; a timer sends batches, one request at a time. While Helm (or
 * Core, for the token) is unreachable, lines stay buffered and sends retry with backoff; when
 * the buffer is full the oldest lines are dropped and counted, and the count is logged (and so
 * shipped) once sending works again.
 */
export function createLogShipper(options: LogShipperOptions): LogShipper {
  let buffer: { line: ShippedLine; bytes: number }[] = [];
  let dropped = 0;
  /** Lines ever removed from the buffer's front by overflow (to tell which of a batch in flight are gone). */
  let overflowed = 0;
  let droppedUnreported = 0;
  let rejected = 0;
  let sent = 0;
  let inflight: Promise<void> | null = null;
  let backoffMs = 0;
  let retryAt = 0;
  let down = false;
  let stopped = false;

  const sendBatch = async (): Promise<boolean> => {
    let bytes = 0;
    let n = 0;
    while (
      n < buffer.length &&
      n < options.batchLines &&
      (n === 0 || bytes + buffer[n]!.bytes <= INGEST_LIMITS.batchBytes)
    )
      bytes += buffer[n++]!.bytes;
    const batch = buffer.slice(0, n).map((b) => b.line);
    const overflowedBefore = overflowed;
    let outcome: SendOutcome;
    try {
      outcome = await options.send(batch);
    } catch {
      outcome = "retry";
    }
    if (outcome === "retry") {
      backoffMs = backoffMs ? Math.min(backoffMs * 2, options.maxBackoffMs) : options.minBackoffMs;
      retryAt = Date.now() + backoffMs;
      if (!down) {
        down = true;
        options.note(`log collector (${LOG_COLLECTOR}) unreachable; buffering up to ${options.bufferLines} lines`);
      }
      return false;
    }
    // New lines were only appended while the batch was out, but an overflow may have dropped
    // some of the batch from the front already.
    buffer = buffer.slice(Math.max(0, batch.length - (overflowed - overflowedBefore)));
    if (outcome === "sent") sent += batch.length;
    else {
      rejected += batch.length;
      options.note(`log collector refused a batch of ${batch.length} lines; they are dropped`);
    }
    backoffMs = 0;
    retryAt = 0;
    if (down) {
      down = false;
      options.note(`log collector (${LOG_COLLECTOR}) reachable again`);
    }
    if (droppedUnreported > 0) {
      const n = droppedUnreported;
      droppedUnreported = 0;
      options.report("warn", "log shipper dropped lines while the collector was unreachable", {
        dropped: n,
        dropped_total: dropped,
        buffer_lines: options.bufferLines,
      });
    }
    return true;
  };

  const drain = (): Promise<void> => {
    if (inflight) return inflight;
    inflight = (async () => {
      while (buffer.length > 0 && Date.now() >= retryAt) {
        if (!(await sendBatch())) break;
      }
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  const timer = setInterval(() => {
    if (buffer.length > 0) void drain();
  }, options.flushIntervalMs);
  timer.unref?.();

  const sink: LogSink = (record) => {
    if (stopped) return;
    const line = toShippedLine(record);
    buffer.push({ line, bytes: Buffer.byteLength(JSON.stringify(line)) + 1 });
    if (buffer.length > options.bufferLines) {
      const over = buffer.length - options.bufferLines;
      buffer.splice(0, over);
      overflowed += over;
      dropped += over;
      droppedUnreported += over;
    }
    if (buffer.length >= options.batchLines && !inflight && Date.now() >= retryAt) queueMicrotask(() => void drain());
  };

  return {
    sink,
    async flush(timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      retryAt = 0;
      while (buffer.length > 0 && Date.now() < deadline) {
        const before = buffer.length;
        await Promise.race([drain(), Bun.sleep(Math.max(0, deadline - Date.now()))]);
        if (buffer.length >= before) break;
      }
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    stats: () => ({ buffered: buffer.length, dropped, sent, rejected }),
  };
}
