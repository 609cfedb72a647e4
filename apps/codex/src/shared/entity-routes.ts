import type { z } from "zod";
import type { Access } from "@hivematrix/lib/access";
import { apiRoute } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { bulkBody, bulkResultSchema, errorAnswer, jsonAnswer, jsonRequest, messageSchema } from "./route-schemas.ts";

/** What an entity's standard API routes are declared from. */
interface Entity<
  Query extends z.ZodObject,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Json extends z.ZodType,
  Page extends z.ZodType,
  Params extends z.ZodObject,
> {
  /** The collection, `/api/contacts`; one record is `${path}/{param}`. */
  path: string;
  /** The path parameter naming one record (`id`, `acct`). */
  param: string;
  params: Params;
  tag: string;
  /** For summaries: "contact", "contacts". */
  one: string;
  many: string;
  listQuery: Query;
  page: Page;
  create: Create;
  update: Update;
  json: Json;
  /** Who may delete one (staff who change data, unless it takes an admin). */
  deleteAccess?: Access;
  /** Why a create or update can collide with another record (a 409); none: it cannot. */
  conflict?: string;
}

/**
 * The API routes every entity has, declared once: list, create (idempotent), bulk upsert, read,
 * update and delete, with their access rules, request and response schemas. The feature's api.ts
 * adds each with its handler.
 */
export function entityRoutes<
  Query extends z.ZodObject,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Json extends z.ZodType,
  Page extends z.ZodType,
  Params extends z.ZodObject,
>(entity: Entity<Query, Create, Update, Json, Page, Params>) {
  const tags: [string] = [entity.tag];
  const record = `${entity.path}/{${entity.param}}`;
  // Typed as always there, so every handler's answers type the same way; documented only when it can happen.
  const conflict = (entity.conflict ? { 409: errorAnswer(entity.conflict) } : {}) as {
    409: ReturnType<typeof errorAnswer>;
  };
  return {
    list: apiRoute({
      method: "get",
      path: entity.path,
      access: ACCESS.readWithClientScope,
      tags,
      summary: `List ${entity.many} (filters, sorting, cursor pagination)`,
      request: { query: entity.listQuery },
      responses: { 200: jsonAnswer(entity.page, `A page of ${entity.many}`) },
    }),
    create: apiRoute({
      method: "post",
      path: entity.path,
      access: ACCESS.data,
      tags,
      summary: `Create a ${entity.one}`,
      idempotent: true,
      request: { body: jsonRequest(entity.create) },
      responses: { 201: jsonAnswer(entity.json, `The ${entity.one} as stored`), ...conflict },
    }),
    bulk: apiRoute({
      method: "post",
      path: `${entity.path}/bulk`,
      access: ACCESS.data,
      tags,
      summary: `Create or update many ${entity.many} (all or nothing, per-row errors)`,
      request: { body: jsonRequest(bulkBody(`POST ${entity.path}`)) },
      responses: { 200: jsonAnswer(bulkResultSchema, "Every row's outcome") },
    }),
    get: apiRoute({
      method: "get",
      path: record,
      access: ACCESS.readWithClientScope,
      tags,
      summary: `A ${entity.one}`,
      request: { params: entity.params },
      responses: { 200: jsonAnswer(entity.json, `The ${entity.one}`) },
    }),
    update: apiRoute({
      method: "put",
      path: record,
      access: ACCESS.data,
      tags,
      summary: `Update a ${entity.one} (only the fields sent)`,
      request: { params: entity.params, body: jsonRequest(entity.update) },
      responses: { 200: jsonAnswer(entity.json, `The ${entity.one} as stored`), ...conflict },
    }),
    delete: apiRoute({
      method: "delete",
      path: record,
      access: entity.deleteAccess ?? ACCESS.data,
      tags,
      summary: `Delete a ${entity.one}`,
      request: { params: entity.params },
      responses: { 200: jsonAnswer(messageSchema, "Deleted") },
    }),
  };
}
