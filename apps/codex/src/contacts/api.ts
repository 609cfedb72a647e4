import { z } from "zod";
import type { RouteTable } from "@hivematrix/lib/route-table";
import type { Deps } from "../deps.ts";
import { assertVisibleAny, scopeCompanyId } from "../shared/client-scope.ts";
import { entityRoutes } from "../shared/entity-routes.ts";
import { idParam } from "../shared/input.ts";
import { actorOf } from "../shared/request.ts";
import { createContact, deleteContact, requireContact, updateContact, upsertContacts } from "./data.ts";
import { contactCompanyIds, contactJsonOf, listContacts } from "./data-lists.ts";
import { contactCreate, contactListQuery, contactSchema, contactUpdate } from "./json.ts";

const route = entityRoutes({
  path: "/api/contacts",
  param: "id",
  params: z.object({ id: idParam }),
  tag: "Contacts",
  one: "contact",
  many: "contacts",
  listQuery: contactListQuery,
  page: z.object({ items: z.array(contactSchema), next_cursor: z.string().nullable() }),
  create: contactCreate,
  update: contactUpdate,
  json: contactSchema,
  conflict: "The email (or external id) is already used",
});

export function contactsApi(routes: RouteTable, deps: Deps) {
  routes.api(route.list, async (c) =>
    c.json(await listContacts(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );

  routes.api(route.create, async (c) => {
    const contact = await createContact(deps.db, c.req.valid("json"), actorOf(c));
    return c.json(await contactJsonOf(deps.db, contact.id), 201);
  });

  routes.api(route.bulk, async (c) => c.json(await upsertContacts(deps.db, c.req.valid("json").rows, actorOf(c)), 200));

  routes.api(route.get, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await assertVisibleAny(c, deps, await contactCompanyIds(deps.db, contact.id), "contact");
    return c.json(await contactJsonOf(deps.db, contact.id, await scopeCompanyId(c, deps)), 200);
  });

  routes.api(route.update, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await updateContact(deps.db, contact, c.req.valid("json"), actorOf(c));
    return c.json(await contactJsonOf(deps.db, contact.id), 200);
  });

  routes.api(route.delete, async (c) => {
    const contact = await requireContact(deps.db, c.req.valid("param").id);
    await deleteContact(deps.db, contact, actorOf(c));
    return c.json({ message: `Deleted ${contact.name}.` }, 200);
  });
}
