import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { agentChoices } from "../agents/data-lists.ts";
import type { Deps } from "../deps.ts";
import { psaLinks } from "../integrations/psa-links.ts";
import { pageNotice } from "../shared/forms.ts";
import { intParam, isClient, ticketViewer } from "../shared/request.ts";
import { attachmentLinks } from "./attachments/links.ts";
import { mayClose } from "./client-tickets.ts";
import { ticketDetail } from "./data-lists.ts";
import { visibleTicket } from "./visible.ts";
import { TicketDetailPage } from "./views-detail.tsx";

/** What the last action on a ticket's page did (`?notice=`). */
const NOTICES: Record<string, string> = {
  created: "Ticket created.",
  replied: "Reply sent.",
  closed: "Ticket closed.",
  noted: "Note added.",
  updated: "Ticket updated.",
  time: "Time logged.",
  writeback_retried: "Queued for Freshservice again.",
};

/** A ticket's page (the path's `{id}`); a failed form comes back to it with what was typed and why it failed. */
export async function renderTicketPage(
  c: Context<AppEnv>,
  deps: Deps,
  errors: Record<string, string> = {},
  values: Record<string, string> = {},
) {
  const { db } = deps;
  const ticket = await visibleTicket(c, deps, intParam(c, "id"));
  const client = isClient(c);
  return c.render(
    <TicketDetailPage
      ticket={await ticketDetail(db, ticket, ticketViewer(c), attachmentLinks(c))}
      agents={client ? [] : await agentChoices(db)}
      errors={errors}
      values={values}
      psa={client ? null : await psaLinks(db)}
      canClose={mayClose(c, ticket)}
      maxBytes={deps.attachments.maxBytes}
    />,
    { title: ticket.subject, section: "tickets", notice: pageNotice(c, NOTICES, errors) },
  );
}

/** Back to the ticket's page after a form, saying what was done. */
export const backToTicket = (c: Context<AppEnv>, id: number, notice: keyof typeof NOTICES) =>
  c.redirect(c.get("page")!.url(`/tickets/${id}?notice=${notice}`), 303);
