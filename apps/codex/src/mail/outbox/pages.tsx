import { z } from "zod";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../../access.ts";
import { OUTBOX_STATUSES } from "../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { intParam } from "../../shared/request.ts";
import { listInbound } from "../inbound/data.ts";
import type { InboundPoller } from "../inbound/poller.ts";
import { listOutbox, retryFailed } from "./data.ts";
import { mailOverview } from "./data-overview.ts";
import { MailAdminPage } from "./views.tsx";

const statusQuery = z.enum(OUTBOX_STATUSES).optional().catch(undefined);
const NOTICES: Record<string, string> = { retried: "The email is queued again." };

/** The admin's view of email: the settings in force, the outbox by state, and the messages read. */
export function outboxPages(routes: RouteTable, deps: Deps, poller: InboundPoller | null) {
  const { db } = deps;
  routes.page(pageRoute({ method: "get", path: "/admin/mail", access: PAGES.admin }), async (c) => {
    const status = statusQuery.parse(c.req.query("status")) ?? null;
    const notice = NOTICES[c.req.query("notice") ?? ""];
    return c.render(
      <MailAdminPage
        overview={await mailOverview(db, deps.settings.mail, poller?.lastRun ?? null)}
        status={status}
        outbox={await listOutbox(db, { status: status ?? undefined, limit: 100 })}
        inbound={await listInbound(db, { limit: 30 })}
      />,
      { title: "Email", section: "admin", notice: notice ? { variant: "success", text: notice } : null },
    );
  });

  routes.page(pageRoute({ method: "post", path: "/admin/mail/outbox/{id}/retry", access: PAGES.admin }), async (c) => {
    await retryFailed(db, intParam(c, "id"));
    return c.redirect(c.get("page")!.url("/admin/mail?notice=retried"), 303);
  });
}
