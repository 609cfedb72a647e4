import { z } from "zod";
import { type Access, access, describeAccess } from "./access.ts";
import type { ApiRoute, RouteTable } from "./route-table.ts";

/** The platform's error shape, as every app answers it (lib/errors). */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "A stable machine-readable code, e.g. validation_failed" }),
      message: z.string().meta({ description: "What went wrong, for a person" }),
      details: z.unknown().meta({ description: "For validation errors: [{field, message}]" }),
    }),
  })
  .meta({ id: "Error" });

/** A JSON answer in a route's `responses`: `200: jsonResponse("The notes, newest first", notesSchema)`. */
export const jsonResponse = <S extends z.ZodType>(description: string, schema: S) => ({
  description,
  content: { "application/json": { schema } },
});

/** A route's required JSON body: `request: { body: jsonRequest(noteInput) }`. */
export const jsonRequest = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { "application/json": { schema } },
});

const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .max(255)
    .optional()
    .meta({
      description:
        "Any unique string (a UUID): a retry with the same key and body within 24 h gets the first answer" +
        " and writes nothing",
    }),
});

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: errorSchema } },
});

/**
 * The route as the API document shows it: who may call it (`x-permission` and in words), its
 * security scheme, and the error answers every route of this shape can give besides its own.
 */
export function documented(route: ApiRoute): ApiRoute {
  const { access: rule, idempotent, ownErrors, upload, ...operation } = route;
  const request = route.request ?? {};
  return {
    ...operation,
    description: [route.description, `Who: ${describeAccess(rule)}`].filter(Boolean).join("\n\n"),
    "x-permission": { access: rule.name, levels: rule.levels, services: rule.services, public: rule.public },
    ...(idempotent ? { request: { ...request, headers: idempotencyHeaders } } : {}),
    security: rule.public ? [] : [{ bearer: [] }],
    // A route answering errors in its own shape declares them itself.
    responses: {
      ...(ownErrors ? {} : platformErrors(rule, request)),
      ...(upload ? { 413: error("The file is larger than the route takes") } : {}),
      ...route.responses,
    },
  } as unknown as ApiRoute;
}

/** The platform's error answers a route of this shape can give besides its own. */
function platformErrors(rule: Access, request: NonNullable<ApiRoute["request"]>) {
  const standard: Record<string, ReturnType<typeof error>> = {};
  if (!rule.public) {
    standard[401] = error("No token, or a token that is invalid, expired or revoked");
    standard[403] = error("The caller's permission level may not use this");
  }
  if (request.params) standard[404] = error("Nothing has this id (or a client user may not see it)");
  if (request.body) standard[415] = error("The body is not of the declared media type");
  if (request.query || request.body) standard[422] = error("Invalid input: error.details lists each field");
  standard[503] = error("A dependency (Core, the database) is unavailable; retry after Retry-After seconds");
  return standard;
}

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
}

/** The OpenAPI 3.1 document of every API route in the table. */
export function openApiDocument(table: RouteTable, info: ApiInfo) {
  const doc = table.app.getOpenAPI31Document({ openapi: "3.1.0", info: { ...info } });
  doc.components = {
    ...doc.components,
    securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
  };
  return doc;
}

/** Who may read an app's API document unless it says otherwise: every signed-in level and services. */
const READERS = access.callers("read", ["admin", "technician", "billing", "client"]);

const openApiRoute = (rule: Access) => ({
  method: "get" as const,
  path: "/api/openapi.json",
  access: rule,
  tags: ["API"] as [string],
  summary: "This app's OpenAPI 3.1 document: every operation, its schemas and who may call it",
  responses: {
    200: {
      description: "The document",
      content: { "application/json": { schema: z.looseObject({ openapi: z.string() }) } },
    },
  },
});

/** Serves the table's document at GET /api/openapi.json to `rule`'s callers (built once, on first request). */
export function serveOpenApi(table: RouteTable, info: ApiInfo, rule: Access = READERS): void {
  let doc: ReturnType<typeof openApiDocument> | undefined;
  table.api(openApiRoute(rule), (c) => c.json((doc ??= openApiDocument(table, info)) as { openapi: string }, 200));
}
