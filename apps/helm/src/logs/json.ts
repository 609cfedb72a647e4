import { z } from "zod";
import { INGEST_LIMITS } from "@hivematrix/lib/log-shipper";
import { LOG_LEVELS, type LogLevelName } from "../db/schema.ts";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** Clocks drift a little; a line stamped further ahead would sit on top of the log view for days. */
const MAX_FUTURE_MS = 5 * 60_000;

/** One line as lib's log shipper sends it. */
const ingestLineSchema = z
  .object({
    timestamp: z.iso
      .datetime({ offset: true })
      .refine((s) => Date.parse(s) <= Date.now() + MAX_FUTURE_MS, "the timestamp is in the future"),
    level: z.enum(LOG_LEVELS),
    message: z.string().max(INGEST_LIMITS.messageChars),
    request_id: z.string().regex(REQUEST_ID, "a request id is 1-100 letters, digits and . _ : -").optional(),
    user: z.string().min(1).max(INGEST_LIMITS.userChars).optional(),
    context: z
      .record(z.string(), z.unknown())
      .refine(
        (v) => Buffer.byteLength(JSON.stringify(v)) <= INGEST_LIMITS.contextBytes,
        `the context is larger than ${INGEST_LIMITS.contextBytes} bytes`,
      )
      .optional(),
  })
  .strict();

/** POST /api/logs/ingest: `{lines: [...]}`; the service is the token's, never the payload's. */
export const ingestSchema = z
  .object({ lines: z.array(ingestLineSchema).min(1).max(INGEST_LIMITS.linesPerRequest) })
  .strict();

export type IngestLine = z.infer<typeof ingestLineSchema>;

/** A line on its way into the database. */
export interface NewLogLine {
  at: Date;
  service: string;
  level: LogLevelName;
  message: string;
  requestId: string | null;
  user: string | null;
  context: Record<string, unknown> | null;
}

export type StoredLogLine = NewLogLine & { id: number };

export function fromIngest(service: string, line: IngestLine): NewLogLine {
  return {
    at: new Date(line.timestamp),
    service,
    level: line.level,
    message: line.message,
    requestId: line.request_id ?? null,
    user: line.user ?? null,
    context: line.context ?? null,
  };
}

/** A log line as the JSON API, the live tail and `bun run logs --json` send it. */
export const logLineSchema = z
  .object({
    id: z.number().int(),
    timestamp: z.iso.datetime(),
    service: z.string(),
    level: z.enum(LOG_LEVELS),
    message: z.string(),
    request_id: z.string().nullable(),
    user: z.string().nullable(),
    context: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: "LogLine" });

export type LogLineJson = z.infer<typeof logLineSchema>;

export function lineJson(line: StoredLogLine): LogLineJson {
  return {
    id: line.id,
    timestamp: line.at.toISOString(),
    service: line.service,
    level: line.level,
    message: line.message,
    request_id: line.requestId,
    user: line.user,
    context: line.context,
  };
}
