import type { MiddlewareHandler } from "hono";
import type { LogLevel } from "./config.ts";
import { databaseCause } from "./db-errors.ts";

export interface LogRecord {
  timestamp: string;
  level: "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";
  service: string;
  message: string;
  request_id?: string;
  user?: string;
  [key: string]: unknown;
}

/** Where log records go besides stdout (Helm's shipper plugs in here). */
export type LogSink = (record: LogRecord) => void;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const LEVEL_NAME: Record<LogLevel, LogRecord["level"]> = {
  debug: "DEBUG",
  info: "INFO",
  warn: "WARNING",
  error: "ERROR",
};

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every record (request id, user). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Defaults to one JSON line per record on stdout. */
  write?: (line: string) => void;
  sinks?: LogSink[];
}

function errorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!(v instanceof Error)) {
      out[k] = v;
      continue;
    }
    // A wrapped error (drizzle's "Failed query") keeps what the database itself said.
    const cause = databaseCause(v);
    const code = (v as { code?: unknown }).code;
    out[k] = {
      name: v.name,
      message: v.message,
      ...(code !== undefined ? { code } : {}),
      stack: v.stack,
      ...(cause ? { cause } : {}),
    };
  }
  return out;
}

export function createLogger(options: LoggerOptions): Logger {
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sinks = options.sinks ?? [];
  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < min) return;
      const record: LogRecord = {
        timestamp: new Date().toISOString(),
        level: LEVEL_NAME[level],
        service: options.service,
        message,
        ...base,
        ...(fields ? errorFields(fields) : {}),
      };
      write(JSON.stringify(record));
      for (const sink of sinks) sink(record);
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every request an id (kept from X-Request-Id when sane, so one id follows a request
 * through Nexus and the apps), a child logger, and one access-log line when it ends.
 */
export function requestLogging(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("log", logger.child({ request_id: requestId }));
    c.header("X-Request-Id", requestId);
    const started = performance.now();
    await next();
    const user = c.get("user") as { preferred_username?: string } | null | undefined;
    const service = c.get("service") as string | null | undefined;
    const fields = {
      request_id: requestId,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      user: user?.preferred_username ?? (service ? `service:${service}` : undefined),
    };
    if (c.res.status >= 500) logger.error("request failed", fields);
    else logger.debug("request", fields);
  };
}
