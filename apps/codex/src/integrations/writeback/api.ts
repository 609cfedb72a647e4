import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { jsonAnswer } from "../../shared/route-schemas.ts";
import { requireTicket } from "../../tickets/data.ts";
import type { Integrations } from "../service.ts";
import { retryWriteBack } from "./data.ts";
import { retriedSchema, writeBackParams } from "./json.ts";

const retryRoute = apiRoute({
  method: "post",
  path: "/api/tickets/{id}/freshservice-writeback/{writeback_id}/retry",
  access: ACCESS.data,
  tags: ["Tickets"],
  summary: "Send a change Freshservice refused again (the ticket's freshservice_writeback.failed lists them)",
  request: { params: writeBackParams },
  responses: { 200: jsonAnswer(retriedSchema, "Queued again, due now") },
});

/** Staff retry a write-back that failed, from the API; the worker is woken to send it at once. */
export function writeBackApi(routes: RouteTable, deps: Deps, integrations: Integrations) {
  routes.api(retryRoute, async (c) => {
    const { id, writeback_id } = c.req.valid("param");
    const ticket = await requireTicket(deps.db, id);
    const row = await retryWriteBack(deps.db, ticket.id, writeback_id);
    void integrations.writeBack.drain().catch(() => {});
    return c.json(
      { id: row.id, ticket_id: ticket.id, state: "pending" as const, message: "Queued for Freshservice again." },
      200,
    );
  });
}
