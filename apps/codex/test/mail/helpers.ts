import type { PermissionLevel } from "@hivematrix/lib/config";
import { createLogger, type Logger } from "@hivematrix/lib/log";
import type { OutboxMessage } from "../../src/db/schema.ts";
import type { CodexUnderTest, TokenOptions } from "../harness.ts";

/** The address Codex's emails come from and replies go to, in every mail test. */
export const HELPDESK = "help@msp.example";
export const MAIL_FROM = `Acme MSP Helpdesk <${HELPDESK}>`;

/** Codex's mail settings for a test; long intervals, so only the test's own ticks send or poll. */
export function mailEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MAIL_FROM,
    CODEX_MAIL_SEND_INTERVAL_SECONDS: "3600",
    CODEX_MAIL_POLL_SECONDS: "3600",
    CODEX_MAIL_RETRY_SECONDS: "1",
    ...extra,
  };
}

/** A request as a particular person (a username, an IdP id), JSON in and out. */
export async function callAs(
  codex: CodexUnderTest,
  level: PermissionLevel,
  who: TokenOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {
    accept: "application/json",
    authorization: `Bearer ${await codex.token(level, who)}`,
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  return codex.app.fetch(
    new Request(`http://codex.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** Every outbox row, oldest first. */
export async function outboxRows(codex: CodexUnderTest): Promise<OutboxMessage[]> {
  const { db } = codex.deps;
  return db.db.select().from(db.t.mailOutbox).orderBy(db.t.mailOutbox.id);
}

/** A logger that keeps what it writes (to check that failures reach Helm's logs through it). */
export function keptLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const logger = createLogger({ service: "codex", level: "info", write: (line) => written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

/** A raw RFC 5322 message, as a mail client would write it. */
export function rawMail(message: {
  from: string;
  to?: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  /** Files carried as attachments (multipart/mixed, base64). */
  files?: { filename: string; contentType: string; bytes: Uint8Array }[];
}): string {
  const body = [
    `Content-Type: ${message.html !== undefined ? "text/html" : "text/plain"}; charset=utf-8`,
    "Content-Transfer-Encoding: 8bit",
    "",
    message.html ?? message.text ?? "",
  ];
  const boundary = `hm-${crypto.randomUUID()}`;
  const parts = message.files?.length
    ? [
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        "",
        `--${boundary}`,
        ...body,
        ...message.files.flatMap((file) => [
          `--${boundary}`,
          `Content-Type: ${file.contentType}; name="${file.filename}"`,
          `Content-Disposition: attachment; filename="${file.filename}"`,
          "Content-Transfer-Encoding: base64",
          "",
          ...(Buffer.from(file.bytes)
            .toString("base64")
            .match(/.{1,76}/g) ?? []),
        ]),
        `--${boundary}--`,
      ]
    : body;
  const lines = [
    `From: ${message.from}`,
    `To: ${message.to ?? HELPDESK}`,
    `Subject: ${message.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${message.messageId ?? `<${crypto.randomUUID()}@client.example>`}`,
    ...(message.inReplyTo ? [`In-Reply-To: ${message.inReplyTo}`] : []),
    ...(message.references ? [`References: ${message.references}`] : []),
    ...Object.entries(message.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    ...parts,
    "",
  ];
  return lines.join("\r\n");
}
