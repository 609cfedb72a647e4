import { ImapFlow } from "imapflow";
import { isDatabaseUnavailable } from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { ImapSettings } from "../settings.ts";
import { lastUid, type MailboxKey } from "./data.ts";
import { type InboundMail, parseInbound } from "./parse.ts";
import { holdUnprocessable, type InboundContext, type Processed, processInbound } from "./process.ts";

/** What is known of a message the parser could not read. */
const UNREADABLE: InboundMail = {
  messageId: null,
  from: null,
  subject: "(unreadable message)",
  text: "",
  threadIds: [],
  date: null,
  headers: new Map(),
  contentType: "text/plain",
  attachments: [],
};

/** Messages one poll reads at most; the rest wait for the next. */
const BATCH = 50;

/**
 * Polls the mailbox on a timer: each run opens it read-only (Codex changes nothing in it),
 * lists the UIDs after the last one read in this UIDVALIDITY, and reads them one at a time, in
 * order. A message that cannot be processed stops the run, to be tried again at the next one.
 * Runs never overlap; a second poller (another process) finds each message already taken.
 */
export class InboundPoller {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  /** When the last run ended, and how (for the admin page). */
  lastRun: { at: Date; read: number; error: string | null } | null = null;

  constructor(
    private readonly context: InboundContext,
    private readonly settings: ImapSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.settings.pollMs);
    this.timer.unref?.();
    void this.context.db.whenReady.then(
      () => this.tick(),
      () => {},
    );
  }

  /** One poll now (or the one already running). */
  tick(): Promise<void> {
    this.running ??= this.run()
      .then((read) => {
        this.lastRun = { at: new Date(), read, error: null };
      })
      .catch((e) => {
        const error = (e as Error).message ?? String(e);
        this.lastRun = { at: new Date(), read: 0, error };
        this.logger.error("mail: reading the mailbox failed", { imap: this.settings.display, error: e });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async run(): Promise<number> {
    if (!this.context.db.ready) return 0;
    const client = new ImapFlow({
      host: this.settings.host,
      port: this.settings.port,
      secure: this.settings.secure,
      auth: { user: this.settings.user, pass: this.settings.pass },
      logger: false,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    // A dropped connection is reported here; the run's own awaits fail with it.
    client.on("error", (e) => this.logger.warn("mail: IMAP connection error", { error: e }));
    await client.connect();
    try {
      const lock = await client.getMailboxLock(this.settings.mailbox, { readOnly: true });
      try {
        return await this.readNew(client);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  private async readNew(client: ImapFlow): Promise<number> {
    const mailbox = client.mailbox;
    if (!mailbox) return 0;
    const uidValidity = Number(mailbox.uidValidity);
    const after = await lastUid(this.context.db, this.settings.mailbox, uidValidity);
    const found = (await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [];
    const uids = found
      .filter((uid) => uid > after)
      .sort((a, b) => a - b)
      .slice(0, BATCH);
    let read = 0;
    for (const uid of uids) {
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (message === false || !message.source) continue;
      const key = { mailbox: this.settings.mailbox, uidValidity, uid };
      const result = await this.process(key, message.source);
      if (result) {
        read++;
        this.logger.info("mail: message read", { uid, outcome: result.outcome, ticket_id: result.ticketId ?? null });
      }
    }
    return read;
  }

  /**
   * One message in. While the database is away the run stops, to read it again later; any other
   * failure puts the message in triage with the reason instead of retrying it at every poll.
   */
  private async process(key: MailboxKey, source: Buffer): Promise<Processed | null> {
    let mail: InboundMail | null = null;
    try {
      mail = await parseInbound(source);
      return await processInbound(this.context, key, mail);
    } catch (e) {
      if (isDatabaseUnavailable(e)) throw e;
      this.logger.error("mail: a message could not be processed; it is held in triage", { uid: key.uid, error: e });
      const held = mail ?? { ...UNREADABLE, text: "The message could not be read; it is still in the mailbox." };
      return holdUnprocessable(this.context, key, held, e);
    }
  }

  /** Stops the timer and waits for a poll in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
