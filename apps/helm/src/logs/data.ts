import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, max, or, sql, type SQL } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import type { LogEntryRow } from "../db/schema.ts";
import type { HelmDb } from "../deps.ts";
import type { NewLogLine, StoredLogLine } from "./json.ts";
import type { LiveTail } from "./live.ts";
import { type Cursor, encodeCursor, type LogFilter, levelsFrom } from "./query.ts";

/** Rows per INSERT: well under both engines' bound-parameter limits. */
const INSERT_CHUNK = 500;

/** Stores lines in one transaction (all of them or none) and returns them with their ids. */
export async function insertLines(db: HelmDb, lines: NewLogLine[]): Promise<StoredLogLine[]> {
  if (lines.length === 0) return [];
  const ids: number[] = [];
  await transaction(db, async (tx) => {
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const rows = await tx
        .insert(db.t.logEntries)
        .values(lines.slice(i, i + INSERT_CHUNK))
        .returning({ id: db.t.logEntries.id });
      for (const r of rows) ids.push(r.id);
    }
  });
  return lines.map((line, i) => ({ ...line, id: ids[i]! }));
}

/** Stores lines (all or none) and hands them to the open live tails. */
export async function storeLines(db: HelmDb, live: LiveTail, lines: NewLogLine[]): Promise<void> {
  await live.publish(await insertLines(db, lines));
}

/** Stored lines by id, oldest first (what another Helm instance stored, for this one's live tails). */
export async function linesById(db: HelmDb, ids: number[]): Promise<StoredLogLine[]> {
  if (ids.length === 0) return [];
  const entries = db.t.logEntries;
  return db.db.select().from(entries).where(inArray(entries.id, ids)).orderBy(asc(entries.id));
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function conditions(db: HelmDb, filter: LogFilter): SQL[] {
  const entries = db.t.logEntries;
  const where: SQL[] = [];
  if (filter.service) where.push(eq(entries.service, filter.service));
  if (filter.level && filter.level !== "DEBUG") where.push(inArray(entries.level, levelsFrom(filter.level)));
  if (filter.requestId) where.push(eq(entries.requestId, filter.requestId));
  if (filter.user) where.push(eq(entries.user, filter.user));
  if (filter.from) where.push(gte(entries.at, filter.from));
  if (filter.to) where.push(lte(entries.at, filter.to));
  if (filter.text) {
    // SQLite's LIKE ignores ASCII case already; Postgres needs ILIKE.
    const op = db.engine === "postgres" ? sql.raw("ILIKE") : sql.raw("LIKE");
    where.push(sql`${entries.message} ${op} ${likePattern(filter.text)} ESCAPE '\\'`);
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
  db: HelmDb,
  filter: LogFilter & { before?: Cursor; after?: Cursor; limit: number },
): Promise<LogPage> {
  const entries = db.t.logEntries;
  const where = conditions(db, filter);
  const forward = !filter.before && filter.after;
  if (filter.before) {
    const at = new Date(filter.before.at);
    where.push(or(lt(entries.at, at), and(eq(entries.at, at), lt(entries.id, filter.before.id)))!);
  } else if (filter.after) {
    const at = new Date(filter.after.at);
    where.push(or(gt(entries.at, at), and(eq(entries.at, at), gt(entries.id, filter.after.id)))!);
  }
  const rows = await db.db
    .select()
    .from(entries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...(forward ? [asc(entries.at), asc(entries.id)] : [desc(entries.at), desc(entries.id)]))
    .limit(filter.limit + 1);
  const more = rows.length > filter.limit;
  const page = rows.slice(0, filter.limit);
  if (forward) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    older: last && (forward || more) ? encodeCursor(last) : null,
    newer: first && (filter.before || (forward && more)) ? encodeCursor(first) : null,
  };
}

export async function countLogs(db: HelmDb, filter: LogFilter = {}): Promise<number> {
  const where = conditions(db, filter);
  const [row] = await db.db
    .select({ n: count() })
    .from(db.t.logEntries)
    .where(where.length ? and(...where) : undefined);
  return Number(row?.n ?? 0);
}

export async function maxLogId(db: HelmDb): Promise<number> {
  const [row] = await db.db.select({ id: max(db.t.logEntries.id) }).from(db.t.logEntries);
  return Number(row?.id ?? 0);
}

/** Lines stored after `afterId`, oldest first (for `bun run logs --follow`). */
export async function linesAfter(
  db: HelmDb,
  afterId: number,
  filter: LogFilter,
  limit = 1_000,
): Promise<LogEntryRow[]> {
  const entries = db.t.logEntries;
  return db.db
    .select()
    .from(entries)
    .where(and(gt(entries.id, afterId), ...conditions(db, filter)))
    .orderBy(asc(entries.id))
    .limit(limit);
}

/**
 * What a live tail that reconnects missed: the newest `limit` matching lines stored after
 * `afterId` (oldest first), and how many older ones it will not see.
 */
export async function missedLines(
  db: HelmDb,
  afterId: number,
  filter: LogFilter,
  limit: number,
): Promise<{ rows: LogEntryRow[]; skipped: number }> {
  const entries = db.t.logEntries;
  const where = and(gt(entries.id, afterId), ...conditions(db, filter));
  const rows = await db.db.select().from(entries).where(where).orderBy(desc(entries.id)).limit(limit);
  if (rows.length < limit) return { rows: rows.reverse(), skipped: 0 };
  const [total] = await db.db.select({ n: count() }).from(entries).where(where);
  return { rows: rows.reverse(), skipped: Number(total?.n ?? 0) - rows.length };
}

/** Rows deleted per statement, so a big cleanup never holds the write lock for long. */
const DELETE_CHUNK = 20_000;

/**
 * The retention job: deletes lines older than `retentionDays`, then the oldest lines beyond
 * `maxRows`. Returns how many of each went.
 */
export async function cleanupLogs(
  db: HelmDb,
  o: { retentionDays: number; maxRows: number },
  now = new Date(),
): Promise<{ expired: number; overCap: number }> {
  const entries = db.t.logEntries;
  const cutoff = new Date(now.getTime() - o.retentionDays * 86_400_000);
  const expired = await countLogs(db, { to: new Date(cutoff.getTime() - 1) });
  let left = expired;
  while (left > 0) {
    const oldest = db.db
      .select({ id: entries.id })
      .from(entries)
      .where(lt(entries.at, cutoff))
      .orderBy(asc(entries.at))
      .limit(DELETE_CHUNK);
    await db.db.delete(entries).where(inArray(entries.id, oldest));
    left -= DELETE_CHUNK;
  }
  const total = await countLogs(db);
  let overCap = Math.max(0, total - o.maxRows);
  const removed = overCap;
  while (overCap > 0) {
    const oldest = db.db
      .select({ id: entries.id })
      .from(entries)
      .orderBy(asc(entries.at), asc(entries.id))
      .limit(Math.min(overCap, DELETE_CHUNK));
    await db.db.delete(entries).where(inArray(entries.id, oldest));
    overCap -= DELETE_CHUNK;
  }
  return { expired, overCap: removed };
}
