import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors, formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { attempt, formInput, pageQueryOf } from "../shared/forms.ts";
import { actorOf, authorOf, intParam, ticketViewer } from "../shared/request.ts";
import { requireTicket, updateTicket } from "./data.ts";
import { addEntry, addTimeEntry } from "./data-entries.ts";
import { listTickets } from "./data-lists.ts";
import { backToTicket, renderTicketPage } from "./detail-page.tsx";
import { entryForm } from "./forms.ts";
import { ticketListQuery, ticketUpdate } from "./json.ts";
import { TicketListPage } from "./views.tsx";

const section = "tickets";
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

  const failed = (c: Context<AppEnv>, errors: Record<string, string>, values: Record<string, string>) => {
    c.status(422);
    return renderTicketPage(c, deps, errors, values);
  };
  const back = backToTicket;

  routes.page(pageRoute({ method: "get", path: "/tickets/{id}", access: PAGES.readWithClientScope }), (c) =>
    renderTicketPage(c, deps),
  );

  routes.page(pageRoute({ method: "post", path: "/tickets/{id}/note", access: PAGES.data }), async (c) => {
    const ticket = await requireTicket(db, intParam(c, "id"));
    const raw = await formFields(c);
    const parsed = entryForm.safeParse(raw);
    if (!parsed.success) return failed(c, { body: parsed.error.issues[0]!.message }, { ...raw, form: "note" });
    await addEntry(db, ticket, { kind: "note", body: parsed.data.body, ...authorOf(c), incoming: false }, actorOf(c));
    return back(c, ticket.id, "noted");
  });

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
