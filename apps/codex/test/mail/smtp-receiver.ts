import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** One message the receiver accepted, with its envelope and parsed content. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpReceiver {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Waits until `count` messages have arrived (or fails after `ms`). */
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export interface ReceiverOptions {
  port: number;
  /** Refuses every recipient with this SMTP reply (e.g. "550 No such user"). */
  rejectWith?: { code: number; message: string };
  /** Called with each message accepted (the round trip delivers it into Dovecot). */
  deliver?: (mail: ReceivedMail) => Promise<void>;
}

/**
 * A real SMTP server (the nodemailer project's smtp-server) on 127.0.0.1: what Codex's sender
 * speaks to in the tests. No TLS and no authentication, as a relay on a private network.
 */
export async function startSmtpReceiver(options: ReceiverOptions): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!options.rejectWith) return callback();
      const refusal = Object.assign(new Error(options.rejectWith.message), { responseCode: options.rejectWith.code });
      callback(refusal);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        try {
          const raw = Buffer.concat(chunks);
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            parsed: await simpleParser(raw),
          };
          received.push(mail);
          await options.deliver?.(mail);
          callback();
        } catch (e) {
          callback(e as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return {
    port: options.port,
    url: `smtp://127.0.0.1:${options.port}`,
    received,
    async waitFor(count, ms = 10_000) {
      const until = Date.now() + ms;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, got ${received.length}`);
        await Bun.sleep(25);
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
