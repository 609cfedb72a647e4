import type { Context } from "hono";
import { z } from "zod";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { addEntry, addTimeEntry, createTicket, requireTicket, updateTicket } from "../data/tickets.ts";
import { listTickets, ticketDetail, ticketListQuery } from "./api-tickets.ts";
import { TicketDetailPage, TicketListPage, TicketNewPage } from "../views/tickets.tsx";
import { pageCtx } from "../views/shell.tsx";
import { psaLinks } from "../integrations/psa-links.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf, isClient, ticketViewer } from "../shared/request.ts";
import { assertVisible, scopeCompanyId } from "../shared/client-scope.ts";
import { intParam } from "../shared/request.ts";
import { attempt, formInput, pageQueryOf } from "../shared/forms.ts";
import { formFields } from "@hivematrix/lib/validate";

const NOTICES: Record<string, string> = {
  created: "Ticket created.",
  replied: "Reply sent.",
  noted: "Note added.",
  updated: "Ticket updated.",
  time: "Time logged.",
};
const bodySchema = z.object({ body: z.string().trim().min(1, "Write something first.").max(100_000) });
const timeSchema = z.object({
  minutes: z.coerce
    .number({ message: "Minutes, as a number." })
    .int("Whole minutes.")
    .min(1, "At least 1 minute.")
    .max(1440, "At most a day."),
  note: z.string().trim().max(2000).optional(),
});

export function ticketPages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";

  r.add(
    { method: "get", path: "/tickets", access: "read", client: true, page: true, tag, summary: "Tickets list" },
    async (c) => {
      const q = pageQueryOf(c, ticketListQuery);
      const list = await listTickets(deps, { ...q.data, limit: 50 }, await scopeCompanyId(c, deps), ticketViewer(c));
      return c.html(
        <TicketListPage p={pageCtx(c)} items={list.items} next={list.next_cursor} query={q.data} notice={q.error} />,
      );
    },
  );
  r.add({ method: "get", path: "/tickets/new", access: "data", page: true, tag, summary: "New ticket form" }, (c) =>
    c.html(
      <TicketNewPage
        p={pageCtx(c)}
        values={{ priority: "medium", company: c.req.query("company") ?? "" }}
        errors={{}}
      />,
    ),
  );
  r.add(
    { method: "post", path: "/tickets", access: "data", page: true, tag, summary: "Create a ticket from the form" },
    async (c) => {
      const raw = await formFields(c);
      const result = await attempt(() =>
        createTicket(
          h,
          formInput(raw, ["company", "subject", "priority", "requester_email", "description"]),
          actorOf(c),
        ),
      );
      if (!result.ok) return c.html(<TicketNewPage p={pageCtx(c)} values={raw} errors={result.errors} />, 422);
      return c.redirect(appUrl(c, `/tickets/${result.value.id}?notice=created`), 303);
    },
  );

  const show = async (
    c: Context<AppEnv>,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const ticket = await requireTicket(h, intParam(c, "id"));
    await assertVisible(c, deps, ticket.companyId, "ticket");
    const agents = isClient(c)
      ? []
      : await h.db.select({ id: h.t.agents.id, name: h.t.agents.name }).from(h.t.agents).orderBy(h.t.agents.name);
    const notice = NOTICES[c.req.query("notice") ?? ""] ?? null;
    const psa = isClient(c) ? null : await psaLinks(h);
    return c.html(
      <TicketDetailPage
        p={pageCtx(c)}
        ticket={await ticketDetail(deps, ticket, ticketViewer(c))}
        agents={agents}
        errors={errors}
        values={values}
        notice={notice}
        psa={psa}
      />,
      status,
    );
  };
  const back = (c: Context<AppEnv>, id: number, notice: string) =>
    c.redirect(appUrl(c, `/tickets/${id}?notice=${notice}`), 303);

  r.add(
    {
      method: "get",
      path: "/tickets/:id",
      access: "read",
      client: true,
      page: true,
      tag,
      summary: "A ticket with its conversation",
    },
    (c) => show(c),
  );
  r.add(
    {
      method: "post",
      path: "/tickets/:id/reply",
      access: "reply",
      page: true,
      tag,
      summary: "Reply on a ticket (clients: their company's)",
    },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      await assertVisible(c, deps, ticket.companyId, "ticket");
      const raw = await formFields(c);
      const parsed = bodySchema.safeParse(raw);
      if (!parsed.success) return show(c, { body: parsed.error.issues[0]!.message }, { ...raw, form: "reply" }, 422);
      const user = c.get("user")!;
      await addEntry(
        h,
        ticket,
        {
          kind: "reply",
          body: parsed.data.body,
          authorName: user.name || user.preferred_username,
          authorEmail: user.email || null,
          incoming: isClient(c),
        },
        actorOf(c),
      );
      return back(c, ticket.id, "replied");
    },
  );
  r.add(
    { method: "post", path: "/tickets/:id/note", access: "data", page: true, tag, summary: "Add a private note" },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      const raw = await formFields(c);
      const parsed = bodySchema.safeParse(raw);
      if (!parsed.success) return show(c, { body: parsed.error.issues[0]!.message }, { ...raw, form: "note" }, 422);
      const user = c.get("user")!;
      await addEntry(
        h,
        ticket,
        {
          kind: "note",
          body: parsed.data.body,
          authorName: user.name || user.preferred_username,
          authorEmail: user.email || null,
          incoming: false,
        },
        actorOf(c),
      );
      return back(c, ticket.id, "noted");
    },
  );
  r.add(
    {
      method: "post",
      path: "/tickets/:id/update",
      access: "data",
      page: true,
      tag,
      summary: "Change status, priority or assignee",
    },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      const raw = await formFields(c);
      const input: Record<string, unknown> = formInput(raw, ["status", "priority"]);
      input.assignee_id = raw.assignee_id ? Number(raw.assignee_id) || raw.assignee_id : null;
      const result = await attempt(() => updateTicket(h, ticket, input, actorOf(c)));
      if (!result.ok) return show(c, result.errors, raw, 422);
      return back(c, ticket.id, "updated");
    },
  );
  r.add(
    { method: "post", path: "/tickets/:id/time", access: "data", page: true, tag, summary: "Log time on a ticket" },
    async (c) => {
      const ticket = await requireTicket(h, intParam(c, "id"));
      const raw = await formFields(c);
      const parsed = timeSchema.safeParse({ minutes: raw.minutes, note: raw.note || undefined });
      if (!parsed.success)
        return show(c, Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])), raw, 422);
      const user = c.get("user")!;
      await addTimeEntry(
        h,
        ticket,
        {
          minutes: parsed.data.minutes,
          logged_at: new Date(),
          note: parsed.data.note ?? null,
          agent_name: user.name || user.preferred_username,
        },
        actorOf(c),
      );
      return back(c, ticket.id, "time");
    },
  );
}
