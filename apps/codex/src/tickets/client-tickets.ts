import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError, validationFailed } from "@hivematrix/lib/errors";
import { fieldErrors } from "@hivematrix/lib/validate";
import type { Ticket } from "../db/schema.ts";
import { clientTicketCreate, type TicketCreate, ticketCreate } from "./json.ts";

/** What a client's new ticket may say; everything else on a ticket is the MSP's to set. */
const CLIENT_FIELDS = new Set(["subject", "description", "priority", "company"]);

export type ClientTicketCheck =
  | { ok: true; input: TicketCreate }
  | { ok: false; status: 403 | 422; message: string; errors: Record<string, string> };

/**
 * A client's new ticket, as the ticket to create: for its own company (the `company` claim),
 * with a priority from the client's set, requested by the client. A field only the MSP sets, or
 * another company, is refused (403); a bad value is a 422 naming its field.
 */
export function checkClientTicket(c: Context<AppEnv>, sent: Record<string, unknown>): ClientTicketCheck {
  const user = c.get("user")!;
  const refused = Object.keys(sent).filter((key) => sent[key] !== undefined && !CLIENT_FIELDS.has(key));
  if (refused.length) {
    const message = `A client may not set ${refused.join(", ")}: the MSP does.`;
    return { ok: false, status: 403, message, errors: Object.fromEntries(refused.map((key) => [key, message])) };
  }
  const own = user.company;
  const company = typeof sent.company === "string" ? sent.company.trim() : "";
  if (!own || (company && company.toLowerCase() !== own.toLowerCase())) {
    const message = own
      ? "You can open tickets for your own company only."
      : "Your sign-in is not linked to a company, so you cannot open tickets.";
    return { ok: false, status: 403, message, errors: { company: message } };
  }
  const rest = { ...sent };
  delete rest.company;
  const parsed = clientTicketCreate.safeParse(rest);
  if (!parsed.success)
    return { ok: false, status: 422, message: "Check the fields marked below.", errors: fieldErrors(parsed.error) };
  const email = z.email().safeParse(user.email);
  const input = ticketCreate.parse({
    company: own,
    subject: parsed.data.subject,
    description: parsed.data.description,
    priority: parsed.data.priority ?? "medium",
    requester_name: user.name || user.preferred_username,
    requester_email: email.success ? email.data : null,
  });
  return { ok: true, input };
}

/** As checkClientTicket, for the API: a refusal is thrown as the platform's error answer. */
export function clientTicketInput(c: Context<AppEnv>, sent: Record<string, unknown>): TicketCreate {
  const checked = checkClientTicket(c, sent);
  if (checked.ok) return checked.input;
  const details = Object.entries(checked.errors).map(([field, message]) => ({ field, message }));
  if (checked.status === 403) throw new HttpError(403, "forbidden", checked.message, details);
  throw new HttpError(422, "validation_failed", "The request body is invalid.", details);
}

/** A ticket staff (or a service) open: for the company they name, which they must. */
export function staffTicketInput(sent: Omit<TicketCreate, "company"> & { company?: string }): TicketCreate {
  const { company } = sent;
  if (!company) throw validationFailed([{ field: "company", message: "Required." }], "The request body is invalid.");
  return { ...sent, company };
}

/**
 * Whether the caller may close this ticket: staff and services any, a client only its own (one
 * it opened, or a synced one it is the requester of).
 */
export function mayClose(c: Context<AppEnv>, ticket: Ticket): boolean {
  const user = c.get("user");
  if (user?.permission_level !== "client") return true;
  if (ticket.openedById) return ticket.openedById === user.sub;
  return Boolean(user.email && ticket.requesterEmail?.toLowerCase() === user.email.toLowerCase());
}
