import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors, formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import { agentChoices } from "../agents/data-lists.ts";
import type { Deps } from "../deps.ts";
import { psaLinks } from "../integrations/psa-links.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { attempt, formInput, formToInput, pageNotice, pageQueryOf } from "../shared/forms.ts";
import { actorOf, authorOf, intParam, isClient, ticketViewer } from "../shared/request.ts";
import { createTicket, requireTicket, updateTicket } from "./data.ts";
import { addEntry, addTimeEntry } from "./data-entries.ts";
import { listTickets, ticketDetail } from "./data-lists.ts";
import { TICKET_FORM, ticketCreate, ticketListQuery, ticketUpdate } from "./json.ts";
import { TicketListPage, TicketNewPage } from "./views.tsx";
import { TicketDetailPage } from "./views-detail.tsx";

const NOTICES: Record<string, string> = {
  created: "Ticket created.",
  replied: "Reply sent.",
  noted: "Note added.",
  updated: "Ticket updated.",
  time: "Time logged.",
};
const section = "tickets";
const entryForm = z.object({ body: z.string().trim().min(1, "Write something first.").max(100_000) });
const timeForm = z.object({
  minutes: z.coerce
    .number({ message: "Minutes, as a number." })
    .int("Whole minutes.")
    .min(1, "At least 1 minute.")
    .max(1440, "At most a day."),
  note: z.string().trim().max(2000).optional(),
});

export function ticketsPages(routes: RouteTable, deps: Deps) {
  const { db, ticketEvents: events } = deps;

  routes.page(pageRoute({ method: "get", path: "/tickets", access: PAGES.readWithClientScope }), async (c) => {
    const query = pageQueryOf(c, ticketListQuery);
    const list = await listTickets(db, { ...query.data, limit: 50 }, await scopeCompanyId(c, deps), ticketViewer(c));
    return c.render(<TicketListPage items={list.items} next={list.next_cursor} query={query.data} />, {
      title: "Tickets",
      section,
      notice: query.error ? { variant: "info", text: query.error } : null,
    });
  });

  const newTicket = (c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string> = {}) =>
    c.render(<TicketNewPage values={values} errors={errors} />, {
      title: "New ticket",
      section,
      notice: Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null,
    });

  routes.page(pageRoute({ method: "get", path: "/tickets/new", access: PAGES.data }), (c) =>
    newTicket(c, { priority: "medium", company: c.req.query("company") ?? "" }),
  );

  routes.page(pageRoute({ method: "post", path: "/tickets", access: PAGES.data }), async (c) => {
    const raw = await formFields(c);
    const parsed = ticketCreate.safeParse(formToInput(raw, TICKET_FORM));
    const result = parsed.success
      ? await attempt(() => createTicket(db, parsed.data, actorOf(c), events))
      : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (result.ok) return c.redirect(c.get("page")!.url(`/tickets/${result.value.id}?notice=created`), 303);
    c.status(422);
    return newTicket(c, raw, result.errors);
  });

  /** A ticket's page; a failed form comes back to it with what was typed and why it failed. */
  const show = async (c: Context<AppEnv>, errors: Record<string, string> = {}, values: Record<string, string> = {}) => {
    const ticket = await requireTicket(db, intParam(c, "id"));
    await assertVisible(c, deps, ticket.companyId, "ticket");
    return c.render(
      <TicketDetailPage
        ticket={await ticketDetail(db, ticket, ticketViewer(c))}
        agents={isClient(c) ? [] : await agentChoices(db)}
        errors={errors}
        values={values}
        psa={isClient(c) ? null : await psaLinks(db)}
      />,
      { title: ticket.subject, section, notice: pageNotice(c, NOTICES, errors) },
    );
  };
  const failed = (c: Context<AppEnv>, errors: Record<string, string>, values: Record<string, string>) => {
    c.status(422);
    return show(c, errors, values);
  };
  const back = (c: Context<AppEnv>, id: number, notice: string) =>
    c.redirect(c.get("page")!.url(`/tickets/${id}?notice=${notice}`), 303);

  routes.page(pageRoute({ method: "get", path: "/tickets/{id}", access: PAGES.readWithClientScope }), (c) => show(c));

  for (const kind of ["reply", "note"] as const)
    routes.page(
      pageRoute({ method: "post", path: `/tickets/{id}/${kind}`, access: kind === "reply" ? PAGES.reply : PAGES.data }),
      async (c) => {
        const ticket = await requireTicket(db, intParam(c, "id"));
        if (kind === "reply") await assertVisible(c, deps, ticket.companyId, "ticket");
        const raw = await formFields(c);
        const parsed = entryForm.safeParse(raw);
        if (!parsed.success) return failed(c, { body: parsed.error.issues[0]!.message }, { ...raw, form: kind });
        const incoming = kind === "reply" && isClient(c);
        await addEntry(db, ticket, { kind, body: parsed.data.body, ...authorOf(c), incoming }, actorOf(c), events);
        return back(c, ticket.id, kind === "reply" ? "replied" : "noted");
      },
    );

  routes.page(pageRoute({ method: "post", path: "/tickets/{id}/update", access: PAGES.data }), async (c) => {
    const ticket = await requireTicket(db, intParam(c, "id"));
    const raw = await formFields(c);
    const assignee = raw.assignee_id ? Number(raw.assignee_id) || raw.assignee_id : null;
    const parsed = ticketUpdate.safeParse({ ...formInput(raw, ["status", "priority"]), assignee_id: assignee });
    const result = parsed.success
      ? await attempt(() => updateTicket(db, ticket, parsed.data, actorOf(c), events))
      : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (!result.ok) return failed(c, result.errors, raw);
    return back(c, ticket.id, "updated");
  });

  routes.page(pageRoute({ method: "post", path: "/tickets/{id}/time", access: PAGES.data }), async (c) => {
    const ticket = await requireTicket(db, intParam(c, "id"));
    const raw = await formFields(c);
    const parsed = timeForm.safeParse({ minutes: raw.minutes, note: raw.note || undefined });
    if (!parsed.success) {
      // Each field's last complaint, as this form has always shown them.
      const issues = parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]);
      return failed(c, Object.fromEntries(issues), raw);
    }
    const { minutes, note } = parsed.data;
    const entry = { minutes, logged_at: new Date(), note: note ?? null, agent_name: authorOf(c).authorName };
    await addTimeEntry(db, ticket, entry, actorOf(c));
    return back(c, ticket.id, "time");
  });
}
