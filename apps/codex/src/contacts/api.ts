import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import {
  bulkBody,
  bulkResultSchema,
  errorAnswer,
  jsonAnswer,
  jsonRequest,
  messageSchema,
} from "../shared/route-schemas.ts";
import { assertVisibleAny, scopeCompanyId } from "../shared/client-scope.ts";
import { idParam } from "../shared/input.ts";
import { actorOf } from "../shared/request.ts";
import { createContact, deleteContact, requireContact, updateContact, upsertContacts } from "./data.ts";
import { contactCompanyIds, contactJsonOf, listContacts } from "./data-lists.ts";
import { contactCreate, contactListQuery, contactSchema, contactUpdate } from "./json.ts";

const tags: [string] = ["Contacts"];
const contactParams = z.object({ id: idParam });

const listRoute = apiRoute({
  method: "get",
  path: "/api/contacts",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "List contacts (filters, sorting, cursor pagination)",
  request: { query: contactListQuery },
  responses: {
    200: jsonAnswer(z.object({ items: z.array(contactSchema), next_cursor: z.string().nullable() }), "A page"),
  },
});

const createRoute = apiRoute({
  method: "post",
  path: "/api/contacts",
  access: ACCESS.data,
  tags,
  summary: "Create a contact",
  idempotent: true,
  request: { body: jsonRequest(contactCreate) },
  responses: {
    201: jsonAnswer(contactSchema, "The contact as stored"),
    409: errorAnswer("The email (or external id) is already used"),
  },
});

const bulkRoute = apiRoute({
  method: "post",
  path: "/api/contacts/bulk",
  access: ACCESS.data,
  tags,
  summary: "Create or update many contacts (all or nothing, per-row errors)",
  request: { body: jsonRequest(bulkBody("POST /api/contacts")) },
  responses: { 200: jsonAnswer(bulkResultSchema, "Every row's outcome") },
});

const getRoute = apiRoute({
  method: "get",
  path: "/api/contacts/{id}",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "A contact",
  request: { params: contactParams },
  responses: { 200: jsonAnswer(contactSchema, "The contact") },
});

const updateRoute = apiRoute({
  method: "put",
  path: "/api/contacts/{id}",
  access: ACCESS.data,
  tags,
  summary: "Update a contact (only the fields sent)",
  request: { params: contactParams, body: jsonRequest(contactUpdate) },
  responses: {
    200: jsonAnswer(contactSchema, "The contact as stored"),
    409: errorAnswer("The email (or external id) is already used"),
  },
});

const deleteRoute = apiRoute({
  method: "delete",
  path: "/api/contacts/{id}",
  access: ACCESS.data,
  tags,
  summary: "Delete a contact",
  request: { params: contactParams },
  responses: { 200: jsonAnswer(messageSchema, "Deleted") },
});

export function contactsApi(routes: RouteTable, deps: Deps) {
  routes.api(listRoute, async (c) =>
    c.json(await listContacts(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(createRoute, async (c) => {
    const contact = await createContact(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(await contactJsonOf(deps.db, contact.id), 201);
  });

  routes.api(bulkRoute, async (c) => c.json(await upsertContacts(deps.db, c.req.valid("json").rows, actorOf(c)), 200));

  routes.api(getRoute, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await assertVisibleAny(c, deps, await contactCompanyIds(deps.db, contact.id), "contact");
    return c.json(await contactJsonOf(deps.db, contact.id, await scopeCompanyId(c, deps)), 200);
  });

  routes.api(updateRoute, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await updateContact(deps.db, contact, c.req.valid("json"), actorOf(c));
    return c.json(await contactJsonOf(deps.db, contact.id), 200);
  });

  routes.api(deleteRoute, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await deleteContact(deps.db, contact, actorOf(c));
    return c.json({ message: `Deleted ${contact.name}.` }, 200);
  });
}
