import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Deps } from "../../deps.ts";
import { actorOf } from "../../shared/request.ts";
import { jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { companyItemParams, companyParams } from "../input.ts";
import { createLineItem, deleteLineItem, lineItemsOf, requireLineItem, updateLineItem } from "./data-line-items.ts";
import { lineItemCreateSchema, lineItemJson, lineItemSchema, lineItemUpdateSchema } from "./json.ts";

const tags: [string] = ["Billing"];
const oneItem = jsonAnswer(lineItemSchema, "The charge as stored");

const route = {
  list: apiRoute({
    method: "get",
    path: "/api/companies/{acct}/line-items",
    access: ACCESS.staff,
    tags,
    summary: "A company's extra charges",
    request: { params: companyParams },
    responses: { 200: jsonAnswer(z.object({ items: z.array(lineItemSchema) }), "The charges, oldest first") },
  }),
  create: apiRoute({
    method: "post",
    path: "/api/companies/{acct}/line-items",
    access: ACCESS.billing,
    tags,
    summary: "Add a monthly, one-off or yearly charge",
    idempotent: true,
    request: { params: companyParams, body: jsonRequest(lineItemCreateSchema) },
    responses: { 201: oneItem },
  }),
  update: apiRoute({
    method: "put",
    path: "/api/companies/{acct}/line-items/{item_id}",
    access: ACCESS.billing,
    tags,
    summary: "Change a charge",
    request: { params: companyItemParams, body: jsonRequest(lineItemUpdateSchema) },
    responses: { 200: oneItem },
  }),
  delete: apiRoute({
    method: "delete",
    path: "/api/companies/{acct}/line-items/{item_id}",
    access: ACCESS.billing,
    tags,
    summary: "Remove a charge",
    request: { params: companyItemParams },
    responses: { 200: jsonAnswer(messageSchema, "Removed") },
  }),
};

/** A company's extra charges: every month, once, or every year in one month. */
export function lineItemsApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;

  routes.api(route.list, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    return c.json({ items: (await lineItemsOf(db, company.id)).map(lineItemJson) }, 200);
  });

  routes.api(route.create, async (c) => {
    const company = await requireCompany(db, c.req.valid("param").acct);
    return c.json(lineItemJson(await createLineItem(db, company, c.req.valid("json"), actorOf(c))), 201);
  });

  routes.api(route.update, async (c) => {
    const { acct, item_id: itemId } = c.req.valid("param");
    const item = await requireLineItem(db, await requireCompany(db, acct), itemId);
    return c.json(lineItemJson(await updateLineItem(db, item, c.req.valid("json"), actorOf(c))), 200);
  });

  routes.api(route.delete, async (c) => {
    const { acct, item_id: itemId } = c.req.valid("param");
    await deleteLineItem(db, await requireLineItem(db, await requireCompany(db, acct), itemId), actorOf(c));
    return c.json({ message: "Removed." }, 200);
  });
}
