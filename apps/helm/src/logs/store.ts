import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, max, or, sql, type SQL } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { HelmDb } from "../db/open.ts";
import { LOG_LEVELS, type LogEntryRow, type LogLevelName } from "../db/schema.ts";
import type { IngestLine } from "./ingest-schema.ts";

/** Rows per INSERT: well under both engines' bound-parameter limits. */
const INSERT_CHUNK = 500;

export interface NewLogLine {
  at: Date;
  service: string;
  level: LogLevelName;
  message: string;
  requestId: string | null;
  user: string | null;
  context: Record<string, unknown> | null;
}

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

export type StoredLogLine = NewLogLine & { id: number };

/** Stores lines in one transaction (all of them or none) and returns them with their ids. */
export async function insertLines(h: HelmDb, lines: NewLogLine[]): Promise<StoredLogLine[]> {
  if (lines.length === 0) return [];
  const ids: number[] = [];
  await transaction(h, async (tx) => {
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(h.t.logEntries)
        .values(lines.slice(i, i + INSERT_CHUNK))
        .returning({ id: h.t.logEntries.id });
      for (const r of rows) ids.push(r.id);
    }
  });
  return lines.map((line, i) => ({ ...line, id: ids[i]! }));
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

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function conditions(h: HelmDb, f: LogFilter): SQL[] {
  const t = h.t.logEntries;
  const where: SQL[] = [];
  if (f.service) where.push(eq(t.service, f.service));
  if (f.level && f.level !== "DEBUG") where.push(inArray(t.level, levelsFrom(f.level)));
  if (f.requestId) where.push(eq(t.requestId, f.requestId));
  if (f.user) where.push(eq(t.user, f.user));
  if (f.from) where.push(gte(t.at, f.from));
  if (f.to) where.push(lte(t.at, f.to));
  if (f.text) {
    // SQLite's LIKE ignores ASCII case already; Postgres needs ILIKE.
    const op = h.engine === "postgres" ? sql.raw("ILIKE") : sql.raw("LIKE");
    where.push(sql`${t.message} ${op} ${likePattern(f.text)} ESCAPE '\\'`);
  }
  return where;
}

export interface LogPage {
  rows: LogEntryRow[];
  /** Cursors for the neighbouring pages, when they exist. */
  older: string | null;
  newer: string | null;
}

/** One page of matching lines, newest first, by keyset on (time, id). */
export async function queryLogs(
  h: HelmDb,
  f: LogFilter & { before?: Cursor; after?: Cursor; limit: number },
): Promise<LogPage> {
  const t = h.t.logEntries;
  const where = conditions(h, f);
  const forward = !f.before && f.after;
  if (f.before) {
    const at = new Date(f.before.at);
    where.push(or(lt(t.at, at), and(eq(t.at, at), lt(t.id, f.before.id)))!);
  } else if (f.after) {
    const at = new Date(f.after.at);
    where.push(or(gt(t.at, at), and(eq(t.at, at), gt(t.id, f.after.id)))!);
  }
  const rows = await h.db
    .select()
    .from(t)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...(forward ? [asc(t.at), asc(t.id)] : [desc(t.at), desc(t.id)]))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  if (forward) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    older: last && (forward || more) ? encodeCursor(last) : null,
    newer: first && (f.before || (forward && more)) ? encodeCursor(first) : null,
  };
}

export async function countLogs(h: HelmDb, f: LogFilter = {}): Promise<number> {
  const where = conditions(h, f);
  const [row] = await h.db
    .select({ n: count() })
    .from(h.t.logEntries)
    .where(where.length ? and(...where) : undefined);
  return Number(row?.n ?? 0);
}

export async function maxLogId(h: HelmDb): Promise<number> {
  const [row] = await h.db.select({ id: max(h.t.logEntries.id) }).from(h.t.logEntries);
  return Number(row?.id ?? 0);
}

/** Lines stored after `afterId`, oldest first (for `bun run logs --follow`). */
export async function linesAfter(h: HelmDb, afterId: number, f: LogFilter, limit = 1_000): Promise<LogEntryRow[]> {
  const t = h.t.logEntries;
  return h.db
    .select()
    .from(t)
    .where(and(gt(t.id, afterId), ...conditions(h, f)))
    .orderBy(asc(t.id))
    .limit(limit);
}

/**
 * What a live tail that reconnects missed: the newest `limit` matching lines stored after
 * `afterId` (oldest first), and how many older ones it will not see.
 */
export async function missedLines(
  h: HelmDb,
  afterId: number,
  f: LogFilter,
  limit: number,
): Promise<{ rows: LogEntryRow[]; skipped: number }> {
  const t = h.t.logEntries;
  const where = and(gt(t.id, afterId), ...conditions(h, f));
  const rows = await h.db.select().from(t).where(where).orderBy(desc(t.id)).limit(limit);
  if (rows.length < limit) return { rows: rows.reverse(), skipped: 0 };
  const [total] = await h.db.select({ n: count() }).from(t).where(where);
  return { rows: rows.reverse(), skipped: Number(total?.n ?? 0) - rows.length };
}

/** Rows deleted per statement, so a big cleanup never holds the write lock for long. */
const DELETE_CHUNK = 20_000;

/**
 * The retention job: deletes lines older than `retentionDays`, then the oldest lines beyond
 * `maxRows`. Returns how many of each went.
 */
export async function cleanupLogs(
  h: HelmDb,
  o: { retentionDays: number; maxRows: number },
  now = new Date(),
): Promise<{ expired: number; overCap: number }> {
  const t = h.t.logEntries;
  const cutoff = new Date(now.getTime() - o.retentionDays * 86_400_000);
  const expired = await countLogs(h, { to: new Date(cutoff.getTime() - 1) });
  let left = expired;
  while (left > 0) {
    const oldest = h.db.select({ id: t.id }).from(t).where(lt(t.at, cutoff)).orderBy(asc(t.at)).limit(DELETE_CHUNK);
    await h.db.delete(t).where(inArray(t.id, oldest));
    left -= DELETE_CHUNK;
  }
  const total = await countLogs(h);
  let overCap = Math.max(0, total - o.maxRows);
  const removed = overCap;
  while (overCap > 0) {
    const oldest = h.db
      .select({ id: t.id })
      .from(t)
      .orderBy(asc(t.at), asc(t.id))
      .limit(Math.min(overCap, DELETE_CHUNK));
    await h.db.delete(t).where(inArray(t.id, oldest));
    overCap -= DELETE_CHUNK;
  }
  return { expired, overCap: removed };
}
