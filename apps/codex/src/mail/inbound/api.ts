import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { actorOf } from "../../shared/request.ts";
import { listInbound } from "./data.ts";
import { assignBody, assignedSchema, triageJson, triageListSchema, triageParams, triageQuery } from "./json.ts";
import { assignTriage, discardTriage } from "./triage.ts";

const tags: [string] = ["Email"];

const listRoute = apiRoute({
  method: "get",
  path: "/api/mail/triage",
  access: ACCESS.staff,
  tags,
  summary: "Emails from unknown senders waiting for staff to assign them to a company or discard them",
  request: { query: triageQuery },
  responses: { 200: jsonAnswer(triageListSchema, "The triage list, newest first") },
});

const assignRoute = apiRoute({
  method: "post",
  path: "/api/mail/triage/{id}/assign",
  access: ACCESS.data,
  tags,
  summary: "Make a triage email a ticket of this company (the sender becomes the requester)",
  request: { params: triageParams, body: jsonRequest(assignBody) },
  responses: { 201: jsonAnswer(assignedSchema, "The ticket it became") },
});

const discardRoute = apiRoute({
  method: "post",
  path: "/api/mail/triage/{id}/discard",
  access: ACCESS.data,
  tags,
  summary: "Discard a triage email (it stays recorded and is never read again)",
  request: { params: triageParams },
  responses: { 200: jsonAnswer(messageSchema, "Discarded") },
});

export function triageApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  routes.api(listRoute, async (c) => {
    const { limit } = c.req.valid("query");
    return c.json({ items: (await listInbound(db, { outcome: "triage", limit })).map(triageJson) }, 200);
  });

  routes.api(assignRoute, async (c) => {
    const { id } = c.req.valid("param");
    const ticket = await assignTriage(db, id, c.req.valid("json").company, actorOf(c), deps.ticketEvents);
    return c.json(
      { ticket_id: ticket.id, message: `Ticket ${ticket.id} opened for ${c.req.valid("json").company}.` },
      201,
    );
  });

  routes.api(discardRoute, async (c) => {
    const { id } = c.req.valid("param");
    await discardTriage(db, id, actorOf(c));
    return c.json({ message: `Email ${id} discarded.` }, 200);
  });
}
