import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { jsonAnswer, messageSchema } from "../../shared/route-schemas.ts";
import { listOutbox, outboxCounts, retryFailed } from "./data.ts";
import { mailStatus, outboxItemJson, outboxPageSchema, outboxParams, outboxQuery } from "./json.ts";

const tags: [string] = ["Email"];

const outboxRoute = apiRoute({
  method: "get",
  path: "/api/mail/outbox",
  access: ACCESS.admin,
  tags,
  summary: "Ticket emails: whether sending is on, counts by state, and the newest messages with their last error",
  request: { query: outboxQuery },
  responses: { 200: jsonAnswer(outboxPageSchema, "The outbox") },
});

const retryRoute = apiRoute({
  method: "post",
  path: "/api/mail/outbox/{id}/retry",
  access: ACCESS.admin,
  tags,
  summary: "Queue a failed email again (its attempts start over)",
  request: { params: outboxParams },
  responses: { 200: jsonAnswer(messageSchema, "Queued again") },
});

export function outboxApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  routes.api(outboxRoute, async (c) => {
    const { status, ticket, limit } = c.req.valid("query");
    const items = await listOutbox(db, { status, ticketId: ticket, limit });
    return c.json(
      { mail: mailStatus(deps.settings.mail), counts: await outboxCounts(db), items: items.map(outboxItemJson) },
      200,
    );
  });

  routes.api(retryRoute, async (c) => {
    const { id } = c.req.valid("param");
    await retryFailed(db, id);
    return c.json({ message: `Email ${id} is queued again.` }, 200);
  });
}
