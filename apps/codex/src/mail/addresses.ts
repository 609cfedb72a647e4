import { z } from "zod";

/** An email address with an optional display name. */
export interface MailAddress {
  name: string | null;
  /** Lower-case. */
  address: string;
}

const email = z.email().max(254);

/** `help@msp.example` or `Helpdesk <help@msp.example>` (the name may be quoted); null when neither. */
export function parseMailAddress(raw: string): MailAddress | null {
  const text = raw.trim();
  const named = /^(?:"([^"]*)"|([^<>"]*?))\s*<([^<>\s]+)>$/.exec(text);
  const name = named ? (named[1] ?? named[2] ?? "").trim() || null : null;
  const candidate = named ? named[3]! : text;
  if (!email.safeParse(candidate).success) return null;
  return { name, address: candidate.toLowerCase() };
}

/** The domain part of an address, lower-case. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

/** Addresses that can never receive mail (RFC 2606's `.invalid`, used for agents without an email). */
export function undeliverable(address: string): boolean {
  const domain = domainOf(address);
  return domain === "invalid" || domain.endsWith(".invalid");
}

/**
 * Our Message-IDs name their ticket: `<hm-ticket-12@domain>` is a ticket's thread (every email
 * about it refers to it) and `<hm-ticket-12.<uuid>@domain>` one email. A reply quotes them back
 * in In-Reply-To or References, which is how it finds its ticket.
 */
export function threadMessageId(ticketId: number, domain: string): string {
  return `<hm-ticket-${ticketId}@${domain}>`;
}

export function newMessageId(ticketId: number, domain: string): string {
  return `<hm-ticket-${ticketId}.${crypto.randomUUID()}@${domain}>`;
}

const OURS = /^<?hm-ticket-(\d{1,10})(?:\.[0-9a-f-]{36})?@([^<>\s]+?)>?$/i;

/** The largest id a ticket can have (a 32-bit serial); larger numbers name no ticket. */
export const MAX_TICKET_ID = 2_147_483_647;

/** The ticket one of our Message-IDs names, or null when the id is not ours. */
export function ticketOfMessageId(messageId: string, domain: string): number | null {
  const match = OURS.exec(messageId.trim());
  if (!match || match[2]!.toLowerCase() !== domain.toLowerCase()) return null;
  const id = Number(match[1]);
  return id > 0 && id <= MAX_TICKET_ID ? id : null;
}

/** Message-IDs in a header value (In-Reply-To, References), in order. */
export function messageIdsIn(header: string | string[] | undefined | null): string[] {
  const text = Array.isArray(header) ? header.join(" ") : (header ?? "");
  return text.match(/<[^<>\s]{1,500}>/g) ?? [];
}
