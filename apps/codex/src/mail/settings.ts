import { z } from "zod";
import { type AppConfig, ConfigError, nexusPublicOrigin } from "@hivematrix/lib/config";
import { envInt, envText, readEnv } from "@hivematrix/lib/settings";
import { type MailAddress, parseMailAddress } from "./addresses.ts";

type Env = Record<string, string | undefined>;

/** The mail variables Codex reads (README "Codex email"). The URLs are checked below, never echoed. */
const mailEnv = z.object({
  SMTP_URL: envText(),
  IMAP_URL: envText(),
  MAIL_FROM: envText(),
  MAIL_REPLY_TO: envText(),
  CODEX_MAIL_SEND_INTERVAL_SECONDS: envInt(10, 1, 3_600),
  CODEX_MAIL_RETRY_SECONDS: envInt(60, 1, 86_400),
  CODEX_MAIL_MAX_ATTEMPTS: envInt(10, 1, 100),
  CODEX_MAIL_POLL_SECONDS: envInt(60, 1, 86_400),
});

/** Where Codex sends ticket emails: an SMTP server (nodemailer reads the URL). */
export interface SmtpSettings {
  url: string;
  /** host:port, for the admin page and logs (never the password). */
  display: string;
  /** Seconds between looks at the outbox. */
  intervalMs: number;
  /** The first retry's delay; each further one doubles it (up to a day). */
  retryBaseMs: number;
  /** Attempts before a message is marked failed. */
  maxAttempts: number;
}

/** The mailbox Codex reads: imap(s)://user:pass@host:port/MAILBOX. */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  display: string;
  pollMs: number;
}

export interface MailSettings {
  /** Null: no email goes out and nothing is queued for it. */
  smtp: SmtpSettings | null;
  /** Null: no mailbox is read. */
  imap: ImapSettings | null;
  /** Who ticket emails come from (MAIL_FROM); required with either URL. */
  from: MailAddress | null;
  /** Where replies go (MAIL_REPLY_TO, else MAIL_FROM): the mailbox Codex reads. */
  replyTo: MailAddress | null;
  /** The domain of our Message-IDs: MAIL_FROM's. */
  messageIdDomain: string;
  /** Nexus's public origin, for links to a ticket in the emails. */
  publicOrigin: string | null;
}

/**
 * A URL's user, password or path as written before percent-encoding (`p%40ss` → `p@ss`). These
 * are settings, not Hono's already-decoded parameters; a broken escape is a configuration error.
 */
function decoded(name: string, part: string): string {
  try {
    // biome-ignore lint/style/noRestrictedGlobals: a setting's URL is decoded here once, by us
    return decodeURIComponent(part);
  } catch {
    throw new ConfigError(`${name} has a broken %-escape in its user, password or mailbox`);
  }
}

/** A URL's text with its password hidden, for messages. */
function masked(url: URL): string {
  return `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}${url.pathname}`;
}

function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${protocols[0]}://user:password@host:port`);
  }
  if (!protocols.includes(url.protocol.slice(0, -1)) || !url.hostname)
    throw new ConfigError(
      `${name} must start with ${protocols.join(":// or ")}:// and name a host (got ${masked(url)})`,
    );
  return url;
}

function smtpSettings(raw: string, own: z.output<typeof mailEnv>): SmtpSettings {
  const url = parseUrl("SMTP_URL", raw, ["smtp", "smtps"]);
  const port = url.port || (url.protocol === "smtps:" ? "465" : "587");
  return {
    url: raw,
    display: `${url.protocol}//${url.hostname}:${port}`,
    intervalMs: own.CODEX_MAIL_SEND_INTERVAL_SECONDS * 1000,
    retryBaseMs: own.CODEX_MAIL_RETRY_SECONDS * 1000,
    maxAttempts: own.CODEX_MAIL_MAX_ATTEMPTS,
  };
}

function imapSettings(raw: string, pollSeconds: number): ImapSettings {
  const url = parseUrl("IMAP_URL", raw, ["imap", "imaps"]);
  if (!url.username || !url.password)
    throw new ConfigError(`IMAP_URL must carry the mailbox's user and password (got ${masked(url)})`);
  const secure = url.protocol === "imaps:";
  const port = Number(url.port || (secure ? 993 : 143));
  const mailbox = decoded("IMAP_URL", url.pathname.replace(/^\/+/, "")) || "INBOX";
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port,
    secure,
    user: decoded("IMAP_URL", url.username),
    pass: decoded("IMAP_URL", url.password),
    mailbox,
    display: `${url.protocol}//${url.hostname}:${port}/${mailbox}`,
    pollMs: pollSeconds * 1000,
  };
}

function address(name: string, raw: string | null): MailAddress | null {
  if (raw === null) return null;
  const parsed = parseMailAddress(raw);
  if (!parsed)
    throw new ConfigError(`${name} must be an email address, optionally with a name: Helpdesk <help@msp.example>`);
  return parsed;
}

/** Codex's mail settings, read once at start-up with the rest of its settings. */
export function loadMailSettings(config: AppConfig, env: Env = process.env): MailSettings {
  const own = readEnv(mailEnv, env);
  const smtp = own.SMTP_URL === null ? null : smtpSettings(own.SMTP_URL, own);
  const imap = own.IMAP_URL === null ? null : imapSettings(own.IMAP_URL, own.CODEX_MAIL_POLL_SECONDS);
  const from = address("MAIL_FROM", own.MAIL_FROM);
  if ((smtp || imap) && !from)
    throw new ConfigError("MAIL_FROM must be set with SMTP_URL or IMAP_URL: the address ticket emails come from");
  return {
    smtp,
    imap,
    from,
    replyTo: address("MAIL_REPLY_TO", own.MAIL_REPLY_TO) ?? from,
    messageIdDomain: from ? from.address.split("@")[1]! : "codex.invalid",
    publicOrigin: nexusPublicOrigin(config, env),
  };
}
