import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { transaction } from "@hivematrix/lib/db";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { attempt, formToInput } from "../shared/forms.ts";
import { actorOf, isClient, openerOf, uploaderOf } from "../shared/request.ts";
import { insertAttachments } from "./attachments/data.ts";
import { uploadProblems, withFilesNotKept } from "./attachments/forms.ts";
import { keepUploads } from "./attachments/keep.ts";
import { checkClientTicket } from "./client-tickets.ts";
import { createTicket } from "./data.ts";
import { TICKET_FORM, type TicketCreate, ticketCreate } from "./json.ts";
import { TicketNewPage } from "./views.tsx";

type Checked = { ok: true; input: TicketCreate } | { ok: false; status: number; errors: Record<string, string> };

/** The new-ticket page: staff open one for any company, a client for its own, with files either way. */
export function ticketNewPages(routes: RouteTable, deps: Deps) {
  const { db, attachments: store, ticketEvents: events } = deps;

  const newTicket = (c: Context<AppEnv>, values: Record<string, string>, errors: Record<string, string> = {}) =>
    c.render(<TicketNewPage values={values} errors={errors} client={isClient(c)} maxBytes={store.maxBytes} />, {
      title: "New ticket",
      section: "tickets",
      notice: Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null,
    });

  routes.page(pageRoute({ method: "get", path: "/tickets/new", access: PAGES.open }), (c) =>
    newTicket(c, { priority: "medium", company: c.req.query("company") ?? "" }),
  );

  /** The form as a ticket to create: a client's limited to what a client may set. */
  const check = (c: Context<AppEnv>, raw: Record<string, string>): Checked => {
    if (isClient(c)) return checkClientTicket(c, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")));
    const parsed = ticketCreate.safeParse(formToInput(raw, TICKET_FORM));
    return parsed.success
      ? { ok: true, input: parsed.data }
      : { ok: false, status: 422, errors: fieldErrors(parsed.error) };
  };

  routes.page(pageRoute({ method: "post", path: "/tickets", access: PAGES.open, upload: store.rule() }), async (c) => {
    const upload = c.get("upload")!;
    const raw = upload.fields;
    const problems = uploadProblems(upload, store.maxBytes);
    const checked: Checked = problems ? { ok: false, ...problems } : check(c, raw);
    if (!checked.ok) {
      c.status(checked.status as 403 | 413 | 422);
      return newTicket(c, raw, withFilesNotKept(checked.errors, upload));
    }
    const result = await attempt(() =>
      keepUploads(store, upload.files, uploaderOf(c), (stored) =>
        transaction(db, async (tx) => {
          const ticket = await createTicket(db, checked.input, actorOf(c), { opener: openerOf(c), events });
          const rows = stored.map((file) => ({ ...file, ticketId: ticket.id, entryId: null }));
          await insertAttachments(tx, db, rows, ticket.companyId, actorOf(c));
          return ticket;
        }),
      ),
    );
    if (result.ok) return c.redirect(c.get("page")!.url(`/tickets/${result.value.id}?notice=created`), 303);
    c.status(422);
    return newTicket(c, raw, withFilesNotKept(result.errors, upload));
  });
}
