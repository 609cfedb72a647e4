import { hostname } from "node:os";
import type { FreshserviceWriteback } from "../../db/schema.ts";
import { freshserviceClient, type IntegrationContext, NotConfiguredError } from "../context.ts";
import type { FreshserviceClient } from "../freshservice/client.ts";
import { DEFAULT_RETRY_POLICY, IntegrationError } from "../http.ts";
import { readSettings } from "../settings.ts";
import { anyDue, claimNext, forgetSent, markFailed, markSent, type Outcome, reschedule } from "./data-queue.ts";
import { freshserviceTicketId } from "./data-lookups.ts";
import { failureReason } from "./reasons.ts";
import { type WriteBackRequest, WriteBackRefused, writeBackRequest } from "./requests.ts";
import { alreadySent } from "./sent-check.ts";

export interface WriteBackOptions {
  /** How often the queue is looked at. */
  pollMs: number;
  /** The first retry's delay after a 5xx or no answer; doubles with each attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts (not counting rate-limited ones) before a row fails for good. */
  maxAttempts: number;
  /** How long a taken row stays this worker's; longer than any request may take. */
  leaseMs: number;
}

const TRANSIENT: string[] = ["server", "timeout", "network"];
/** Sent rows are kept this long (what was sent, and when), then forgotten. */
const KEEP_SENT_MS = 30 * 86_400_000;

/** Sends one request; the id of the conversation Freshservice made, for a reply or note. */
async function deliver(
  client: FreshserviceClient,
  ticketId: number,
  request: WriteBackRequest,
): Promise<string | null> {
  if (request.kind === "reply") return String((await client.reply(ticketId, request.body)).id);
  if (request.kind === "note") return String((await client.note(ticketId, request.body)).id);
  await client.updateTicket(ticketId, request.body);
  return null;
}

export const DEFAULT_WRITEBACK_OPTIONS: WriteBackOptions = {
  pollMs: 2_000,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  maxAttempts: 10,
  leaseMs: 5 * 60_000,
};

/**
 * Sends the write-back queue to Freshservice: one row at a time, each attempt a single request
 * (the queue retries, so a restart loses nothing). 429 waits out Retry-After (the quota is the
 * account's, so every row waits); 5xx and no answer are retried with exponential backoff; any
 * other refusal fails the row with Freshservice's message, shown on its ticket.
 */
export class WriteBackWorker {
  readonly id = `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  readonly options: WriteBackOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private draining: Promise<number> | null = null;
  private stopped = false;
  /** Until when Freshservice asked this worker to send nothing (429 Retry-After). */
  private pausedUntil = 0;
  private forgotAt = 0;

  constructor(
    private readonly ctx: IntegrationContext,
    options: Partial<WriteBackOptions> = {},
  ) {
    this.options = { ...DEFAULT_WRITEBACK_OPTIONS, ...options };
  }

  /** Looks at the queue every pollMs until stop(); a worker once stopped stays stopped (a late start is ignored). */
  start(): void {
    if (this.stopped || this.timer) return;
    const tick = async () => {
      try {
        await this.drain();
        if (Date.now() - this.forgotAt > 3_600_000) {
          this.forgotAt = Date.now();
          await forgetSent(this.ctx.db, new Date(Date.now() - KEEP_SENT_MS));
        }
      } catch (e) {
        this.ctx.logger.warn("Freshservice write-back: the queue could not be read", { error: e });
      }
      if (this.stopped) return;
      this.timer = setTimeout(tick, this.options.pollMs);
      this.timer.unref?.();
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining?.catch(() => {});
  }

  /** Sends every row that is due, one after another; resolves with how many it handled. */
  drain(): Promise<number> {
    this.draining ??= this.sendDue().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async sendDue(): Promise<number> {
    const started = new Date();
    if (started.getTime() < this.pausedUntil || !(await anyDue(this.ctx.db, started))) return 0;
    let client: FreshserviceClient | Error;
    try {
      // One request per attempt: the queue does the retrying.
      client = await freshserviceClient(this.ctx, { policyOverride: { retries: 0, rateLimitRetries: 0 } });
    } catch (e) {
      if (!(e instanceof NotConfiguredError)) throw e;
      client = e;
    }
    let handled = 0;
    while (!this.stopped && Date.now() >= this.pausedUntil) {
      const row = await claimNext(this.ctx.db, this.id, this.options.leaseMs, started);
      if (!row) break;
      handled++;
      await this.send(row, client);
    }
    return handled;
  }

  private async send(row: FreshserviceWriteback, client: FreshserviceClient | Error): Promise<void> {
    const { db } = this.ctx;
    try {
      if (client instanceof Error) throw new WriteBackRefused(client.message);
      const ticketId = await freshserviceTicketId(db, row.ticketId);
      if (ticketId === null) throw new WriteBackRefused("the ticket no longer names a Freshservice ticket");
      const { settings } = await readSettings(db, "freshservice");
      const request = await writeBackRequest(db, settings, row);
      if (request.kind !== "update" && row.uncertain) {
        const found = await alreadySent(db, client, ticketId, row, request.body);
        if (found !== null) return await markSent(db, row, this.id, found);
      }
      await markSent(db, row, this.id, await deliver(client, ticketId, request));
    } catch (e) {
      await this.failedAttempt(row, e);
    }
  }

  private async failedAttempt(row: FreshserviceWriteback, error: unknown): Promise<void> {
    const { db, logger } = this.ctx;
    const integration = error instanceof IntegrationError ? error : null;
    const outcome = (uncertain: boolean): Outcome => ({
      error: failureReason(error),
      status: integration?.status ?? null,
      // A reply or note whose fate is unknown is looked for in Freshservice before it is sent again.
      uncertain: row.kind !== "update" && uncertain,
    });
    if (integration?.status === 429) {
      const wait = integration.retryAfterMs ?? this.backoff(row.attempts);
      this.pausedUntil = Date.now() + wait;
      logger.info("Freshservice write-back: rate limited; waiting", { id: row.id, wait_ms: wait });
      const at = new Date(this.pausedUntil);
      return reschedule(db, row, this.id, at, { ...outcome(false), countsAsAttempt: false });
    }
    // 5xx, no answer, or a fault of ours (the database): worth another try. Any other answer is final.
    const transient = integration ? TRANSIENT.includes(integration.kind) : !(error instanceof WriteBackRefused);
    const uncertain = transient || integration?.kind === "bad_response";
    if (transient && row.attempts < this.options.maxAttempts) {
      // Unanswered, a reply may still be in the making: it gets as long again before it is looked for.
      const unanswered = integration?.kind === "timeout" || integration?.kind === "network";
      const settling = unanswered && row.kind !== "update" ? this.requestTimeoutMs() : 0;
      const wait = Math.max(integration?.retryAfterMs || this.backoff(row.attempts), settling);
      const at = new Date(Date.now() + wait);
      return reschedule(db, row, this.id, at, { ...outcome(uncertain), countsAsAttempt: true });
    }
    const failed = outcome(uncertain);
    if (transient) failed.error = `gave up after ${row.attempts} attempts; the last: ${failed.error}`;
    logger.warn("Freshservice write-back failed", { id: row.id, ticket_id: row.ticketId, reason: failed.error });
    await markFailed(db, row, this.id, failed);
  }

  private requestTimeoutMs(): number {
    return this.ctx.policy?.timeoutMs ?? DEFAULT_RETRY_POLICY.timeoutMs;
  }

  /** The delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped, plus up to 20% jitter. */
  private backoff(attempts: number): number {
    const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(delay * (1 + Math.random() * 0.2));
  }
}
