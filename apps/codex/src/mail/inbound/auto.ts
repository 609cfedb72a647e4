import { ticketOfMessageId } from "../addresses.ts";
import type { InboundMail } from "./parse.ts";

/** What marks a message as one no person wrote, or one that came from us: it makes no ticket and no reply. */
export interface OwnIdentity {
  /** Our own addresses (MAIL_FROM, MAIL_REPLY_TO, the mailbox's user), lower case. */
  addresses: string[];
  /** The domain of our Message-IDs. */
  messageIdDomain: string;
}

const BULK_PRECEDENCE = ["bulk", "junk", "list", "auto_reply"];
const AUTO_HEADERS = ["x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"];
const DAEMONS = /^(mailer-daemon|postmaster|mail-daemon)$/i;

const first = (mail: InboundMail, name: string) => mail.headers.get(name)?.[0]?.trim() ?? null;

/**
 * Why this message is to be left alone, or null for a person's message: an auto-reply or bulk
 * mail (RFC 3834 Auto-Submitted other than "no", Precedence bulk/junk/list, X-Autoreply and
 * the like), a bounce (a delivery report, or mail from the mailer daemon), or our own mail come
 * back (our Message-ID, or From one of our addresses) — which would otherwise loop.
 */
export function leaveAlone(mail: InboundMail, own: OwnIdentity): string | null {
  const submitted = first(mail, "auto-submitted");
  if (submitted && submitted.split(";")[0]!.trim().toLowerCase() !== "no") return `Auto-Submitted: ${submitted}`;
  const precedence = first(mail, "precedence")?.toLowerCase();
  if (precedence && BULK_PRECEDENCE.includes(precedence)) return `Precedence: ${precedence}`;
  for (const name of AUTO_HEADERS) if (mail.headers.has(name)) return `${name} header`;
  if (mail.contentType.startsWith("multipart/report")) return "a delivery report (bounce)";
  if (mail.messageId && ticketOfMessageId(mail.messageId, own.messageIdDomain) !== null)
    return "our own Message-ID (our email came back)";
  const from = mail.from?.address;
  if (from && own.addresses.includes(from)) return "sent from our own address";
  if (from && DAEMONS.test(from.split("@")[0]!)) return "sent by a mailer daemon (bounce)";
  return null;
}
