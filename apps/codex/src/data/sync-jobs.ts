import { desc, eq } from "drizzle-orm";
import type { CodexDb } from "../db/open.ts";
import type { SyncJob } from "../db/schema.ts";

/** Helpers for the integrations' job rows (queued → running → succeeded/failed). */
export async function createSyncJob(h: CodexDb, job: { kind: string; provider: string; triggeredBy: string | null }): Promise<SyncJob> {
  const [row] = await h.db.insert(h.t.syncJobs).values({ id: crypto.randomUUID(), status: "queued", ...job }).returning();
  return row!;
}

export async function startSyncJob(h: CodexDb, id: string): Promise<void> {
  await h.db.update(h.t.syncJobs).set({ status: "running", startedAt: new Date() }).where(eq(h.t.syncJobs.id, id));
}

export async function finishSyncJob(h: CodexDb, id: string, outcome: { ok: boolean; counts?: Record<string, number>; output?: string | null; error?: string | null }): Promise<void> {
  await h.db
    .update(h.t.syncJobs)
    .set({ status: outcome.ok ? "succeeded" : "failed", finishedAt: new Date(), counts: outcome.counts ?? {}, output: outcome.output?.slice(-10_000) ?? null, error: outcome.error ?? null })
    .where(eq(h.t.syncJobs.id, id));
}

export async function recentSyncJobs(h: CodexDb, limit = 10): Promise<SyncJob[]> {
  return h.db.select().from(h.t.syncJobs).orderBy(desc(h.t.syncJobs.createdAt)).limit(limit);
}
