import { and, desc, eq, lt } from "drizzle-orm";
import { isUniqueViolation } from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "../../deps.ts";
import type { SyncJob } from "../../db/schema.ts";
import type { JobKind } from "../settings.ts";
import { progressWriter } from "./progress-writer.ts";
import { JobReport, type LiveState } from "./report.ts";

/**
 * Sync runs: each one is a sync_jobs row (status, counts, output, error) and holds a lock so
 * only one run of a kind happens at a time, across processes too. The lock is an
 * integration_settings row named `lock:<kind>` (the primary key makes taking it atomic on
 * both engines) whose `updated_by` is the holder's job id and whose `updated_at` is its
 * heartbeat; a lock whose holder stopped beating (a crashed process) is taken over.
 */
export const JOB_PROVIDER: Record<JobKind, string> = {
  psa: "freshservice",
  tickets: "freshservice",
  tickets_full: "freshservice",
  rmm: "datto",
  agents: "keycloak",
};

/** Incremental and full-history ticket syncs write the same rows, so they share one lock. */
export function lockKey(kind: JobKind): string {
  return `lock:${kind === "tickets_full" ? "tickets" : kind}`;
}

export interface LockOptions {
  heartbeatMs: number;
  /** A lock not refreshed for this long belongs to a dead process. */
  staleMs: number;
  /** How often a running job's counts and live state are written for watchers (the page, the CLI). */
  progressMs?: number;
}
export const DEFAULT_LOCK_OPTIONS: LockOptions = { heartbeatMs: 30_000, staleMs: 5 * 60_000, progressMs: 2_000 };

export class JobBusyError extends Error {
  override name = "JobBusyError";
  constructor(
    readonly kind: JobKind,
    readonly holder: string | null,
  ) {
    super(`a ${kind} sync is already running${holder ? ` (job ${holder})` : ""}`);
  }
}

async function tryLock(
  db: CodexDb,
  key: string,
  jobId: string,
  options: LockOptions,
): Promise<{ acquired: true; replaced: string | null } | { acquired: false; holder: string | null }> {
  const t = db.t.integrationSettings;
  const now = new Date();
  try {
    await db.db.insert(t).values({ provider: key, enabled: true, settings: {}, updatedBy: jobId, updatedAt: now });
    return { acquired: true, replaced: null };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const [held] = await db.db.select().from(t).where(eq(t.provider, key));
  if (!held) return tryLock(db, key, jobId, options);
  if (held.updatedAt.getTime() > now.getTime() - options.staleMs) return { acquired: false, holder: held.updatedBy };
  // Compare-and-swap on the old heartbeat: of two processes taking over a dead lock, one wins.
  const taken = await db.db
    .update(t)
    .set({ updatedBy: jobId, updatedAt: now })
    .where(
      and(
        eq(t.provider, key),
        eq(t.updatedAt, held.updatedAt),
        lt(t.updatedAt, new Date(now.getTime() - options.staleMs)),
      ),
    )
    .returning({ provider: t.provider });
  return taken.length ? { acquired: true, replaced: held.updatedBy } : { acquired: false, holder: held.updatedBy };
}

async function heartbeat(db: CodexDb, key: string, jobId: string): Promise<void> {
  const t = db.t.integrationSettings;
  await db.db
    .update(t)
    .set({ updatedAt: new Date() })
    .where(and(eq(t.provider, key), eq(t.updatedBy, jobId)));
}

/** The live state of a running job, as its process last wrote it; null once it has finished. */
export async function liveState(db: CodexDb, job: SyncJob): Promise<LiveState | null> {
  if (job.status !== "running") return null;
  const t = db.t.integrationSettings;
  const [lock] = await db.db
    .select({ settings: t.settings })
    .from(t)
    .where(and(eq(t.provider, lockKey(job.kind as JobKind)), eq(t.updatedBy, job.id)));
  const state = lock?.settings as Partial<LiveState> | undefined;
  return { phase: state?.phase ?? null, waiting: state?.waiting ?? null };
}

async function unlock(db: CodexDb, key: string, jobId: string): Promise<void> {
  const t = db.t.integrationSettings;
  await db.db.delete(t).where(and(eq(t.provider, key), eq(t.updatedBy, jobId)));
}

export interface RunOptions {
  triggeredBy: string;
  logger: Logger;
  lock?: LockOptions;
  /**
   * Scheduled runs: do nothing (resolve null) when a run of this kind started at or after this
   * time, i.e. another process sharing the database already ran this tick. Checked while
   * holding the lock, so two processes firing together cannot both run it.
   */
  skipIfStartedSince?: Date;
}

export interface StartedJob {
  job: SyncJob;
  /** Resolves when the run has finished and its row is final (never rejects). */
  done: Promise<SyncJob>;
}

/**
 * Records a run, takes the kind's lock and runs `work` in the background. Throws JobBusyError
 * (and records nothing) when a run of the same kind is in progress.
 */
export async function startJob(
  db: CodexDb,
  kind: JobKind,
  work: (report: JobReport) => Promise<void>,
  options: RunOptions & { skipIfStartedSince: Date },
): Promise<StartedJob | null>;
export async function startJob(
  db: CodexDb,
  kind: JobKind,
  work: (report: JobReport) => Promise<void>,
  options: RunOptions,
): Promise<StartedJob>;
export async function startJob(
  db: CodexDb,
  kind: JobKind,
  work: (report: JobReport) => Promise<void>,
  options: RunOptions,
): Promise<StartedJob | null> {
  const lockOptions = options.lock ?? DEFAULT_LOCK_OPTIONS;
  const t = db.t.syncJobs;
  const id = crypto.randomUUID();
  const key = lockKey(kind);
  const lock = await tryLock(db, key, id, lockOptions);
  if (!lock.acquired) throw new JobBusyError(kind, lock.holder);
  if (options.skipIfStartedSince) {
    const last = await lastJob(db, kind).catch(async (e) => {
      await unlock(db, key, id);
      throw e;
    });
    if (last?.startedAt && last.startedAt >= options.skipIfStartedSince) {
      await unlock(db, key, id);
      return null;
    }
  }
  const now = new Date();
  let job: SyncJob;
  try {
    if (lock.replaced) {
      await db.db
        .update(t)
        .set({ status: "failed", finishedAt: now, error: "interrupted: the process running it stopped" })
        .where(and(eq(t.id, lock.replaced), eq(t.status, "running")));
    }
    [job] = (await db.db
      .insert(t)
      .values({
        id,
        kind,
        provider: JOB_PROVIDER[kind],
        status: "running",
        triggeredBy: options.triggeredBy,
        createdAt: now,
        startedAt: now,
        counts: {},
      })
      .returning()) as [SyncJob];
  } catch (e) {
    await unlock(db, key, id);
    throw e;
  }
  const log = options.logger;
  const beat = setInterval(
    () => heartbeat(db, key, id).catch((e) => log.warn("sync lock heartbeat failed", { job: id, error: e })),
    lockOptions.heartbeatMs,
  );
  const report = new JobReport();
  const progress = progressWriter(db, key, id, report, log);
  report.onChange = progress.flush;
  const tick = setInterval(progress.flush, lockOptions.progressMs ?? 2_000);
  const done = (async () => {
    let error: string | null = null;
    try {
      await work(report);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      log.error("sync failed", { job: id, kind, error: e });
    }
    clearInterval(beat);
    clearInterval(tick);
    report.onChange = null;
    await progress.idle();
    const finished = (await db.db
      .update(t)
      .set({
        status: error ? "failed" : "succeeded",
        finishedAt: new Date(),
        counts: report.counts,
        output: report.output() || null,
        error,
      })
      .where(eq(t.id, id))
      .returning()
      .catch((e) => {
        log.error("cannot record the end of a sync", { job: id, error: e });
        return [job];
      })) as SyncJob[];
    await unlock(db, key, id).catch((e) => log.error("cannot release a sync lock", { job: id, error: e }));
    log.info("sync finished", { job: id, kind, status: error ? "failed" : "succeeded", counts: report.counts });
    return finished[0] ?? job;
  })();
  return { job, done };
}

export async function getJob(db: CodexDb, id: string): Promise<SyncJob | null> {
  const t = db.t.syncJobs;
  const [row] = await db.db.select().from(t).where(eq(t.id, id));
  return row ?? null;
}

/** The latest run of a kind; `succeededOnly` for "last successful sync". */
export async function lastJob(db: CodexDb, kind: JobKind, succeededOnly = false): Promise<SyncJob | null> {
  const t = db.t.syncJobs;
  const where = succeededOnly ? and(eq(t.kind, kind), eq(t.status, "succeeded")) : eq(t.kind, kind);
  const [row] = await db.db.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(1);
  return row ?? null;
}

export async function listJobs(
  db: CodexDb,
  options: { kind?: JobKind; limit: number; before?: Date },
): Promise<SyncJob[]> {
  const t = db.t.syncJobs;
  const conditions = [
    options.kind ? eq(t.kind, options.kind) : undefined,
    options.before ? lt(t.createdAt, options.before) : undefined,
  ].filter(Boolean);
  return db.db
    .select()
    .from(t)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(options.limit);
}
