import { runScheduled } from "@hivematrix/lib/scheduled-jobs";
import type { SyncJob } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { dattoClient, freshserviceClient, keycloakClient, type IntegrationContext } from "./context.ts";
import { SyncScheduler, type ScheduleView } from "./scheduler.ts";
import { readSettings, type JobKind } from "./settings.ts";
import { syncAgents } from "./sync/agents.ts";
import { JobBusyError, startJob, type LockOptions, type StartedJob } from "./sync/jobs.ts";
import type { JobReport } from "./sync/report.ts";
import { syncPsaBase } from "./sync/psa.ts";
import { syncRmm } from "./sync/rmm.ts";
import { syncTickets } from "./sync/tickets.ts";
import { WriteBackWorker } from "./writeback/worker.ts";

const WORK: Record<JobKind, (ctx: IntegrationContext, report: JobReport) => Promise<void>> = {
  psa: syncPsaBase,
  tickets: (ctx, report) => syncTickets(ctx, report, "incremental"),
  tickets_full: (ctx, report) => syncTickets(ctx, report, "full"),
  rmm: syncRmm,
  agents: (ctx, report) => syncAgents(ctx, report),
};

/**
 * Codex's integrations at run time: starts sync runs (from the routes and the scheduler) and
 * owns the one scheduler of this process and its Freshservice write-back worker.
 */
export class Integrations {
  readonly scheduler: SyncScheduler;
  readonly writeBack: WriteBackWorker;
  private readonly running = new Map<string, Promise<SyncJob>>();

  constructor(
    readonly ctx: IntegrationContext,
    private readonly lock?: LockOptions,
  ) {
    this.scheduler = new SyncScheduler((kind, scheduledFor) => this.scheduled(kind, scheduledFor), ctx.logger);
    this.writeBack = new WriteBackWorker(ctx, ctx.writeBack);
  }

  /** Throws NotConfiguredError when the kind's provider lacks settings or credentials. */
  async preflight(kind: JobKind): Promise<void> {
    if (kind === "rmm") await dattoClient(this.ctx);
    else if (kind === "agents") keycloakClient(this.ctx);
    else await freshserviceClient(this.ctx);
  }

  /** Starts a run now; JobBusyError when one of that kind is running (here or in another process). */
  async start(kind: JobKind, triggeredBy: string): Promise<StartedJob> {
    return this.track(
      await startJob(this.ctx.db, kind, (report) => WORK[kind](this.ctx, report), {
        triggeredBy,
        logger: this.ctx.logger,
        lock: this.lock,
      }),
    );
  }

  private track(started: StartedJob): StartedJob {
    this.running.set(started.job.id, started.done);
    void started.done.finally(() => this.running.delete(started.job.id));
    return started;
  }

  /** The final row of a run started by this process (null when it is not one of ours or already finished). */
  finished(jobId: string): Promise<SyncJob> | null {
    return this.running.get(jobId) ?? null;
  }

  /**
   * A scheduler tick. Another Codex process sharing the database may have run this very tick
   * already; a run of the kind that started at or after the tick's time means it is done.
   */
  private async scheduled(kind: JobKind, scheduledFor: Date): Promise<void> {
    try {
      // The tick is claimed and the job's lock held until the run ends: one instance runs it.
      const outcome = await runScheduled(this.ctx.db, `codex:sync:${kind}`, scheduledFor.getTime(), async () => {
        const started = await startJob(this.ctx.db, kind, (report) => WORK[kind](this.ctx, report), {
          triggeredBy: "scheduler",
          logger: this.ctx.logger,
          lock: this.lock,
          skipIfStartedSince: new Date(scheduledFor.getTime() - 2_000),
        });
        // A failed run is recorded in its row; the lock is held until it ends either way.
        if (started) await this.track(started).done.catch(() => undefined);
      });
      if (!outcome.ran) this.ctx.logger.info(`scheduled sync skipped: ${outcome.reason}`, { kind });
    } catch (e) {
      if (e instanceof JobBusyError) this.ctx.logger.info("scheduled sync skipped: one is already running", { kind });
      else throw e;
    }
  }

  /** Reads the schedule settings and (re)arms the timers; with `startup`, honours run-on-start. */
  async applySchedule(startup = false): Promise<void> {
    const { settings } = await readSettings(this.ctx.db, "scheduler");
    this.scheduler.apply(settings);
    if (startup && settings.runOnStart) await this.scheduler.runEnabledNow();
  }

  schedule(): ScheduleView[] {
    return this.scheduler.view();
  }

  /** Stops the timers and waits for runs and a write-back in progress (bounded), so their rows are final. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.scheduler.stop();
    await Promise.race([Promise.allSettled([...this.running.values(), this.writeBack.stop()]), Bun.sleep(timeoutMs)]);
  }
}

/**
 * This process's integrations, from Codex's deps, with their schedule armed and the write-back
 * worker started once the database answers (a failure there must not stop Codex from serving).
 */
export function startIntegrations(deps: Deps): Integrations {
  const integrations = new Integrations({
    db: deps.db,
    home: deps.config.home,
    logger: deps.logger,
    idp: { url: deps.config.idp.url, realm: deps.config.idp.realm },
  });
  void deps.db.whenReady
    .then(() => {
      integrations.writeBack.start();
      return integrations.applySchedule(true);
    })
    .catch((e) => deps.logger.warn("sync schedule not armed", { error: e }));
  return integrations;
}
