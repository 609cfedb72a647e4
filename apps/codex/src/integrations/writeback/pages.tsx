import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { intParam } from "../../shared/request.ts";
import { requireTicket } from "../../tickets/data.ts";
import type { Integrations } from "../service.ts";
import { retryWriteBack } from "./data.ts";

/** The ticket page's "Retry" button for a change Freshservice refused; back to the ticket with a notice. */
export function writeBackPages(routes: RouteTable, deps: Deps, integrations: Integrations) {
  const path = "/tickets/{id}/freshservice-writeback/{writeback_id}/retry";
  routes.page(pageRoute({ method: "post", path, access: PAGES.data }), async (c) => {
    const ticket = await requireTicket(deps.db, intParam(c, "id"));
    await retryWriteBack(deps.db, ticket.id, intParam(c, "writeback_id"));
    void integrations.writeBack.drain().catch(() => {});
    return c.redirect(c.get("page")!.url(`/tickets/${ticket.id}?notice=writeback_retried`), 303);
  });
}
