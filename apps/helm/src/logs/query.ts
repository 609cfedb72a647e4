import { z } from "zod";
import { LOG_LEVELS, type LogEntryRow, type LogLevelName } from "../db/schema.ts";

export interface LogFilter {
  service?: string;
  /** Minimum level. */
  level?: LogLevelName;
  /** Case-insensitive substring of the message. */
  text?: string;
  requestId?: string;
  user?: string;
  from?: Date;
  to?: Date;
}

/** The levels at or above `level` ("ERROR" means ERROR and CRITICAL). */
export function levelsFrom(level: LogLevelName): LogLevelName[] {
  return LOG_LEVELS.slice(LOG_LEVELS.indexOf(level));
}

/** A position in the newest-first order: the time and id of a row. */
export interface Cursor {
  at: number;
  id: number;
}

export function encodeCursor(row: Pick<LogEntryRow, "at" | "id">): string {
  return `${row.at.getTime()}.${row.id}`;
}

export function decodeCursor(raw: string): Cursor | null {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(raw);
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

/** GET forms send empty fields; they mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const RELATIVE = /^(\d{1,6})\s*(m|h|d)$/;

/**
 * A time filter: an ISO date-time (with or without zone; without means UTC), a plain date, or
 * a span back from now such as 15m, 2h, 7d. A plain date as `to` means the end of that day.
 */
export function parseTime(raw: string, end: boolean, now = Date.now()): Date | null {
  const text = raw.trim();
  const rel = RELATIVE.exec(text);
  if (rel)
    return new Date(now - Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as "m" | "h" | "d"]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const date = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : new Date(date.getTime() + (end ? 86_400_000 - 1 : 0));
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) {
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
    const date = new Date(withZone.replace(" ", "T"));
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const timeText = z
  .string()
  .max(40)
  .refine((s) => parseTime(s, false) !== null, "use 2025-01-31, 2025-01-31T14:30 (UTC) or a span such as 15m, 2h, 7d");
const cursorText = z.string().refine((s) => decodeCursor(s) !== null, "not a page cursor");

export const logQuerySchema = z.object({
  service: optional(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name")),
  level: optional(z.enum(LOG_LEVELS)),
  q: optional(z.string().max(200, "at most 200 characters")),
  request_id: optional(z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, "a request id is letters, digits and . _ : -")),
  user: optional(z.string().max(200, "at most 200 characters")),
  from: optional(timeText),
  to: optional(timeText),
  before: optional(cursorText),
  after: optional(cursorText),
  limit: optional(z.coerce.number().int().min(1).max(1000)),
});

export type LogQuery = z.infer<typeof logQuerySchema>;

/** Lines on a page when the query names no limit. */
export const PAGE_SIZE = 100;

/** A log line id, as the live tail resumes from it. */
export const lineIdSchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The live tail's query: the filters, plus `after_id`, the newest line the page already shows,
 * so nothing stored between rendering the page and opening the stream is lost.
 */
export const streamQuerySchema = logQuerySchema.extend({ after_id: optional(lineIdSchema) });

export type StreamQuery = z.infer<typeof streamQuerySchema>;

export function filterOf(query: LogQuery): LogFilter {
  return {
    service: query.service,
    level: query.level,
    text: query.q,
    requestId: query.request_id,
    user: query.user,
    from: query.from ? parseTime(query.from, false)! : undefined,
    to: query.to ? parseTime(query.to, true)! : undefined,
  };
}

export function cursorsOf(query: LogQuery): { before?: Cursor; after?: Cursor } {
  return {
    before: query.before ? decodeCursor(query.before)! : undefined,
    after: query.after ? decodeCursor(query.after)! : undefined,
  };
}
