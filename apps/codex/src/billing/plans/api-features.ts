import type { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { actorOf } from "../../shared/request.ts";
import { errorAnswer, jsonAnswer, jsonRequest, messageSchema } from "../../shared/route-schemas.ts";
import { createCategory, createOption, deleteCategory, deleteOption, featureCatalog } from "./data-features.ts";
import {
  catalogSchema,
  categoryCreateSchema,
  categorySchema,
  featureParams,
  optionCreateSchema,
  optionSchema,
} from "./json-features.ts";

const tags: [string] = ["Features"];

/** Listing the catalog, adding to it and deleting from it, for categories or their options. */
function catalogRoutes<Create extends z.ZodType, Answer extends z.ZodType>(part: {
  path: string;
  list: string;
  create: Create;
  created: Answer;
  add: string;
  conflict: string;
  remove: string;
}) {
  const common = { access: ACCESS.billing, tags };
  return {
    list: apiRoute({
      method: "get",
      path: part.path,
      access: ACCESS.staff,
      tags,
      summary: part.list,
      responses: { 200: jsonAnswer(catalogSchema, "The categories by name, each with its options") },
    }),
    create: apiRoute({
      ...common,
      method: "post",
      path: part.path,
      summary: part.add,
      request: { body: jsonRequest(part.create) },
      responses: { 201: jsonAnswer(part.created, "As stored"), 409: errorAnswer(part.conflict) },
    }),
    delete: apiRoute({
      ...common,
      method: "delete",
      path: `${part.path}/{id}`,
      summary: part.remove,
      request: { params: featureParams },
      responses: { 200: jsonAnswer(messageSchema, "Deleted") },
    }),
  };
}

const options = catalogRoutes({
  path: "/api/feature-options",
  list: "Feature categories with their options",
  create: optionCreateSchema,
  created: optionSchema,
  add: "Add an option to a feature category",
  conflict: "The category has this option",
  remove: "Delete a feature option",
});
const categories = catalogRoutes({
  path: "/api/feature-categories",
  list: "Feature categories",
  create: categoryCreateSchema,
  created: categorySchema,
  add: "Add a feature category",
  conflict: "A category has this key",
  remove: "Delete a feature category and its options",
});

/** The feature catalog: categories (antivirus, backup…) and the options plans and companies choose from. */
export function featuresApi(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  for (const list of [options.list, categories.list])
    routes.api(list, async (c) => c.json({ items: await featureCatalog(db) }, 200));

  routes.api(options.create, async (c) => {
    const row = await createOption(db, c.req.valid("json"), actorOf(c));
    return c.json({ id: row.id, value: row.value, display_name: row.displayName, description: row.description }, 201);
  });

  routes.api(options.delete, async (c) => {
    await deleteOption(db, c.req.valid("param").id, actorOf(c));
    return c.json({ message: "Deleted." }, 200);
  });

  routes.api(categories.create, async (c) => {
    const row = await createCategory(db, c.req.valid("json"), actorOf(c));
    return c.json({ id: row.id, key: row.key, name: row.name, description: row.description }, 201);
  });

  routes.api(categories.delete, async (c) => {
    await deleteCategory(db, c.req.valid("param").id, actorOf(c));
    return c.json({ message: "Deleted." }, 200);
  });
}
