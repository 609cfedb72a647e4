import type { OUTBOX_EVENTS, Ticket } from "../../db/schema.ts";
import { label } from "../../shared/format.ts";

/** The line above which a reply is read; everything from it down is our own quoted email (see inbound/quotes.ts). */
export const REPLY_MARKER = "##- Please type your reply above this line -##";

export type OutboxEvent = (typeof OUTBOX_EVENTS)[number];

/** What one email says. */
export interface MailContent {
  event: OutboxEvent;
  ticket: Ticket;
  /** Whom it greets. */
  recipientName: string | null;
  /** Who wrote the reply it carries. */
  author?: string;
  /** The reply's text (reply, client_reply). */
  body?: string;
  /** The status before a status change. */
  previousStatus?: string;
  /** Where the ticket is seen in HiveMatrix, when Nexus's public address is known. */
  link: string | null;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Header text on one line: a CR or LF in a ticket's subject must never start a header of its own. */
const oneLine = (text: string) => text.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, " ").trim();

function subjectOf(content: MailContent): string {
  const tag = `[#${content.ticket.id}]`;
  const subject = oneLine(content.ticket.subject).slice(0, 200);
  switch (content.event) {
    case "created":
      return `${tag} ${subject}`;
    case "reply":
    case "client_reply":
      return `Re: ${tag} ${subject}`;
    case "status":
      return `${tag} ${subject} (now ${label(content.ticket.status)})`;
    case "assigned":
      return `${tag} Assigned to you: ${subject}`;
  }
}

/** What the email says before the ticket's summary, paragraph by paragraph. */
function paragraphs(content: MailContent): string[] {
  const number = `#${content.ticket.id}`;
  const author = content.author ?? "Someone";
  switch (content.event) {
    case "created":
      return [`We have received your request and logged it as ticket ${number}. We will be in touch.`];
    case "reply":
      return [`${author} replied to your ticket ${number}:`, content.body ?? ""];
    case "client_reply":
      return [`${author} replied on ticket ${number}:`, content.body ?? ""];
    case "status":
      return [
        `Ticket ${number} is now ${label(content.ticket.status)}` +
          (content.previousStatus ? ` (it was ${label(content.previousStatus)}).` : "."),
      ];
    case "assigned":
      return [`Ticket ${number} has been assigned to you.`, content.ticket.description.slice(0, 4000)];
  }
}

/** The email, as plain text and as simple HTML with every value escaped. */
export function renderMail(content: MailContent): RenderedMail {
  const { ticket } = content;
  const greeting = content.recipientName ? `Hello ${oneLine(content.recipientName)},` : "Hello,";
  const said = paragraphs(content).filter((paragraph) => paragraph.trim() !== "");
  const summary = [
    `Ticket #${ticket.id}: ${oneLine(ticket.subject)}`,
    `Status: ${label(ticket.status)} · Priority: ${label(ticket.priority)}`,
    ...(content.link ? [content.link] : []),
  ];
  const footer = `Reply to this email to add to ticket #${ticket.id}.`;
  const text = [REPLY_MARKER, "", greeting, "", ...said.flatMap((p) => [p, ""]), "--", ...summary, "", footer, ""];
  const htmlParagraph = (paragraph: string) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, "<br>\n")}</p>`;
  const html = [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"></head><body>',
    `<p>${escapeHtml(REPLY_MARKER)}</p>`,
    htmlParagraph(greeting),
    ...said.map(htmlParagraph),
    "<hr>",
    `<p>${summary.slice(0, 2).map(escapeHtml).join("<br>\n")}` +
      (content.link ? `<br>\n<a href="${escapeHtml(content.link)}">${escapeHtml(content.link)}</a>` : "") +
      "</p>",
    htmlParagraph(footer),
    "</body></html>",
    "",
  ];
  return { subject: subjectOf(content), text: text.join("\n"), html: html.join("\n") };
}
