import { convert } from "html-to-text";
import { simpleParser } from "mailparser";
import { type MailAddress, messageIdsIn, parseMailAddress } from "../addresses.ts";

/** The most text a ticket or reply takes (the API's limit). */
const MAX_TEXT = 100_000;
/** HTML longer than this is not converted (a body this large is not a person's message). */
const MAX_HTML = 2_000_000;

/** An inbound email as Codex uses it: text only, never HTML. */
export interface InboundMail {
  messageId: string | null;
  from: MailAddress | null;
  subject: string;
  /** The message's text: its plain-text part, else its HTML reduced to text. */
  text: string;
  /** In-Reply-To first, then References from the newest back. */
  threadIds: string[];
  date: Date | null;
  /** Header name (lower case) → its values, unfolded. */
  headers: Map<string, string[]>;
  contentType: string;
  attachments: MailAttachment[];
}

/** A file the message carries (not an image its HTML shows inline). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

/** Control characters other than newline and tab go (Postgres refuses NUL; none belong in a ticket). */
export function safeText(text: string, max = MAX_TEXT): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b\ufeff]/g, "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, max);
}

/**
 * HTML reduced to text by html-to-text: links keep their address, images, scripts, styles and
 * the head are dropped. The result is only ever stored and shown as text.
 */
export function htmlToSafeText(html: string): string {
  if (html.length > MAX_HTML) return "";
  const text = convert(html, {
    wordwrap: false,
    limits: { maxInputLength: MAX_HTML, maxDepth: 100 },
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "head", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
      { selector: "table", format: "dataTable" },
    ],
  });
  return safeText(text);
}

function headerMap(lines: readonly { key: string; line: string }[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(":") + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .trim();
    const name = key.toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

/** The Message-ID in angle brackets (some senders leave them off); null when there is none worth keeping. */
function messageIdOf(raw: string | undefined): string | null {
  const value = raw?.trim() ?? "";
  const bracketed = messageIdsIn(value)[0];
  if (bracketed) return bracketed;
  return value && value.length <= 500 && !/[\s<>]/.test(value) ? `<${value}>` : null;
}

/** Parses a raw message (RFC 5322) with mailparser; its HTML is never kept. */
export async function parseInbound(source: Buffer | string): Promise<InboundMail> {
  const parsed = await simpleParser(source, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
  });
  const plain = safeText(parsed.text ?? "");
  const text = plain || (typeof parsed.html === "string" ? htmlToSafeText(parsed.html) : "");
  const sender = parsed.from?.value.find((entry) => entry.address);
  const from = sender?.address ? parseMailAddress(sender.address) : null;
  const headers = headerMap(parsed.headerLines);
  const threadIds = [...messageIdsIn(parsed.inReplyTo), ...messageIdsIn(parsed.references).reverse()];
  return {
    messageId: messageIdOf(parsed.messageId),
    from: from ? { address: from.address, name: sender?.name ? safeText(sender.name, 200) || null : null } : null,
    subject: safeText((parsed.subject ?? "").replace(/\s+/g, " "), 500),
    text,
    threadIds: [...new Set(threadIds)],
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    headers,
    contentType: (headers.get("content-type")?.[0] ?? "text/plain").toLowerCase(),
    attachments: parsed.attachments
      .filter((attachment) => attachment.contentDisposition !== "inline" || !attachment.related)
      .map((attachment) => ({
        filename: safeText(attachment.filename ?? "unnamed", 200) || "unnamed",
        contentType: attachment.contentType,
        size: attachment.size,
        content: attachment.content,
      })),
  };
}
