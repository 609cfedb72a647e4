import nodemailer, { type Mail } from "nodemailer";
import type { Logger } from "@hivematrix/lib/log";
import type { OutboxMessage } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { MailAddress } from "../addresses.ts";
import type { SmtpSettings } from "../settings.ts";
import { claimDue, markAttemptFailed, markSent } from "./data.ts";

/** Messages one claim takes; the rest wait for the next round of the same run. */
const BATCH = 20;
/** How long a claim holds its messages: longer than one send can take (the timeouts below). */
const LEASE_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** What the outbox needs of an SMTP client: nodemailer's transport answers it. */
export interface MailTransport {
  sendMail(message: Parameters<Mail["sendMail"]>[0]): Promise<unknown>;
  close(): void;
}

export function smtpTransport(settings: SmtpSettings): MailTransport {
  // Short waits: a server that is down costs one attempt, not a sender stuck for minutes.
  return nodemailer.createTransport({
    url: settings.url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** The wait before attempt `attempts + 1`: the base doubling with each failure, at most a day. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), DAY_MS);
}

/** The SMTP server's own words when it gave them (code and response), else the error's message. */
function describe(error: unknown): string {
  const smtp = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (smtp.response) return `${smtp.responseCode ?? ""} ${smtp.response}`.trim();
  return [smtp.code, smtp.message ?? String(error)].filter(Boolean).join(": ");
}

const formatted = (address: MailAddress) =>
  address.name ? { name: address.name, address: address.address } : address.address;

/**
 * Sends the outbox on a timer: each run claims what is due, sends it, and marks it sent, or
 * failed for now (tried again after a doubling delay) or for good after `maxAttempts`. Runs of
 * one sender never overlap; several senders (processes) never send the same message.
 */
export class OutboxSender {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private readonly token = crypto.randomUUID();

  constructor(
    private readonly db: CodexDb,
    private readonly settings: SmtpSettings,
    private readonly from: MailAddress,
    private readonly replyTo: MailAddress,
    private readonly logger: Logger,
    private readonly transport: MailTransport = smtpTransport(settings),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.intervalMs);
    this.timer.unref?.();
    void this.db.whenReady.then(
      () => this.tick(),
      () => {},
    );
  }

  /** One run now (or the one already running). */
  tick(): Promise<void> {
    this.running ??= this.run()
      .catch((e) => this.logger.error("mail: the outbox could not be read", { error: e }))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async run(): Promise<void> {
    if (!this.db.ready) return;
    for (;;) {
      const claimed = await claimDue(this.db, this.token, BATCH, LEASE_MS);
      for (const message of claimed) await this.send(message);
      if (claimed.length < BATCH) return;
    }
  }

  private async send(message: OutboxMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: formatted(this.from),
        replyTo: formatted(this.replyTo),
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
        messageId: message.messageId,
        inReplyTo: message.inReplyTo ?? undefined,
        references: message.references ?? undefined,
        // RFC 3834: automatic mail, so auto-responders (and Exchange's out-of-office) stay quiet.
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
      });
      await markSent(this.db, message);
    } catch (error) {
      const reason = describe(error);
      const final = message.attempts >= this.settings.maxAttempts;
      const retryAt = final ? null : new Date(Date.now() + retryDelayMs(message.attempts, this.settings.retryBaseMs));
      await markAttemptFailed(this.db, message, reason, retryAt);
      const fields = {
        outbox_id: message.id,
        ticket_id: message.ticketId,
        attempt: message.attempts,
        max_attempts: this.settings.maxAttempts,
        smtp: this.settings.display,
        error: reason,
      };
      if (final) this.logger.error("mail: sending failed for good; the message is marked failed", fields);
      else this.logger.warn("mail: sending failed; will retry", { ...fields, retry_at: retryAt!.toISOString() });
    }
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport.close();
  }
}
