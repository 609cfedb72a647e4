import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { actorOf, intParam } from "../../shared/request.ts";
import { listInbound } from "./data.ts";
import { assignBody } from "./json.ts";
import { assignTriage, discardTriage } from "./triage.ts";
import { type TriageFormState, TriagePage } from "./views.tsx";

const section = "triage";
const NOTICES: Record<string, string> = { discarded: "The email was discarded." };

/** Staff's triage list: emails from senders no company owns, to assign or discard. */
export function triagePages(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  const show = async (c: Context<AppEnv>, failed: TriageFormState | null = null) => {
    const notice = NOTICES[c.req.query("notice") ?? ""];
    return c.render(
      <TriagePage messages={await listInbound(db, { outcome: "triage", limit: 100 })} failed={failed} />,
      {
        title: "Email triage",
        section,
        notice: failed
          ? { variant: "error", text: failed.error }
          : notice
            ? { variant: "success", text: notice }
            : null,
      },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/mail/triage", access: PAGES.staff }), (c) => show(c));

  routes.page(pageRoute({ method: "post", path: "/mail/triage/{id}/assign", access: PAGES.data }), async (c) => {
    const id = intParam(c, "id");
    const raw = await formFields(c);
    const parsed = assignBody.safeParse({ company: raw.company ?? "" });
    const company = raw.company ?? "";
    if (!parsed.success) {
      c.status(422);
      return show(c, { id, company, error: parsed.error.issues[0]!.message });
    }
    try {
      const ticket = await assignTriage(db, id, parsed.data.company, actorOf(c), deps.ticketEvents);
      return c.redirect(c.get("page")!.url(`/tickets/${ticket.id}?notice=created`), 303);
    } catch (e) {
      // An unknown company, or a message someone else already handled: say so on the page.
      if (!(e instanceof HttpError) || e.status >= 500 || e.status === 404) throw e;
      c.status(e.status as 409 | 422);
      const details = e.details as { message?: string }[] | undefined;
      return show(c, { id, company, error: details?.[0]?.message ?? e.message });
    }
  });

  routes.page(pageRoute({ method: "post", path: "/mail/triage/{id}/discard", access: PAGES.data }), async (c) => {
    await discardTriage(db, intParam(c, "id"), actorOf(c));
    return c.redirect(c.get("page")!.url("/mail/triage?notice=discarded"), 303);
  });
}
