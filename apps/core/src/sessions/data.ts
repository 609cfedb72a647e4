import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lte } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import type { CoreDb } from "../deps.ts";
import type { SessionRow } from "../db/schema.ts";

export interface NewSession {
  sub: string;
  username: string;
  name: string;
  email: string;
  permissionLevel: PermissionLevel;
  groups: string[];
  company: string | null;
  source: "login" | "cli";
  ttlMs: number;
  ip?: string | null;
  userAgent?: string | null;
}

export async function createSession(h: CoreDb, s: NewSession, now = new Date()): Promise<SessionRow> {
  const row: SessionRow = {
    id: randomBytes(32).toString("base64url"),
    sub: s.sub,
    username: s.username,
    name: s.name,
    email: s.email,
    permissionLevel: s.permissionLevel,
    groups: s.groups,
    company: s.company,
    source: s.source,
    createdAt: now,
    expiresAt: new Date(now.getTime() + s.ttlMs),
    revokedAt: null,
    lastSeenAt: now,
    ip: s.ip ?? null,
    userAgent: s.userAgent ?? null,
  };
  await h.db.insert(h.t.sessions).values(row);
  return row;
}

export async function findSession(h: CoreDb, id: string): Promise<SessionRow | null> {
  const rows = await h.db.select().from(h.t.sessions).where(eq(h.t.sessions.id, id)).limit(1);
  return rows[0] ?? null;
}

export type SessionVerdict =
  | { valid: true; session: SessionRow }
  | { valid: false; error: "unknown_session" | "session_expired" | "session_revoked" };

export function judgeSession(session: SessionRow | null, now = new Date()): SessionVerdict {
  if (!session) return { valid: false, error: "unknown_session" };
  if (session.revokedAt) return { valid: false, error: "session_revoked" };
  if (session.expiresAt <= now) return { valid: false, error: "session_expired" };
  return { valid: true, session };
}

const TOUCH_EVERY_MS = 30_000;

/** Records activity, at most every 30 s per session so validation stays read-mostly. */
export async function touchSession(h: CoreDb, session: SessionRow, now = new Date()): Promise<void> {
  if (session.lastSeenAt && now.getTime() - session.lastSeenAt.getTime() < TOUCH_EVERY_MS) return;
  await h.db.update(h.t.sessions).set({ lastSeenAt: now }).where(eq(h.t.sessions.id, session.id));
}

/** Marks a session revoked; false when there is no such session. Revoking twice is harmless. */
export async function revokeSession(h: CoreDb, id: string, now = new Date()): Promise<boolean> {
  const session = await findSession(h, id);
  if (!session) return false;
  if (!session.revokedAt) await h.db.update(h.t.sessions).set({ revokedAt: now }).where(eq(h.t.sessions.id, id));
  return true;
}

export async function listActiveSessions(h: CoreDb, now = new Date()): Promise<SessionRow[]> {
  return h.db
    .select()
    .from(h.t.sessions)
    .where(and(isNull(h.t.sessions.revokedAt), gt(h.t.sessions.expiresAt, now)))
    .orderBy(desc(h.t.sessions.lastSeenAt));
}

/** Deletes sessions past their expiry (revoked ones too, once expired); returns how many. */
export async function purgeExpiredSessions(h: CoreDb, now = new Date()): Promise<number> {
  const gone = await h.db
    .delete(h.t.sessions)
    .where(lte(h.t.sessions.expiresAt, now))
    .returning({ id: h.t.sessions.id });
  return gone.length;
}
