/**
 * The old route registry, kept as a bridge while features move to the app template: each route
 * it adds lands in lib's route table (so /api/openapi.json and the permission tests see it, behind
 * the same guards), but its handler still reads its own input (no request validation by the
 * table, no response schema in the document).
 *
 * Still on it (convert it to a feature folder, then delete this file and views/shell.tsx):
 * billing (plans, overrides, line items, bills, archive, automation).
 */
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Access } from "@hivematrix/lib/access";
import { guardFor } from "@hivematrix/lib/access";
import type { AppEnv } from "@hivematrix/lib/app";
import { idempotent } from "@hivematrix/lib/idempotency";
import { documented } from "@hivematrix/lib/openapi";
import { type ApiRoute, pageRoute, type RouteTable as LibRouteTable } from "@hivematrix/lib/route-table";
import { ACCESS, PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";

/** The old registry's names for Codex's access rules (src/access.ts has them all). */
export type LegacyAccess = "read" | "data" | "billing" | "staff" | "admin" | "reply" | "self";

export interface RouteDef {
  method: "get" | "post" | "put" | "delete";
  /** Hono style: `/api/tickets/:id`. */
  path: string;
  access: LegacyAccess;
  /** For `read` routes: clients may call it (and see only their company). */
  client?: boolean;
  summary: string;
  tag: string;
  /** Documents the query; the handler parses it itself. */
  query?: z.ZodObject;
  /** Documents the JSON body; the handler parses it itself. */
  body?: z.ZodType;
  /** Body media type when not JSON. */
  bodyType?: "text/csv";
  /** Response media type when not JSON. */
  produces?: "text/csv" | "application/zip";
  /** A page (HTML) rather than an API route: people only, never service calls. */
  page?: boolean;
  /** A create a client may retry: it takes an Idempotency-Key header. */
  idempotent?: boolean;
}

export type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

function accessOf(def: RouteDef): Access {
  const rules = def.page ? PAGES : ACCESS;
  if (def.access === "read" && def.client) return rules.readWithClientScope;
  return rules[def.access];
}

const openApiPath = (path: string) => path.replaceAll(/:([A-Za-z_]+)/g, "{$1}");

function apiRouteOf(def: RouteDef): ApiRoute {
  const params = [...def.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
  const body = def.bodyType
    ? { required: true, content: { [def.bodyType]: { schema: z.string() } } }
    : def.body
      ? { required: true, content: { "application/json": { schema: def.body } } }
      : undefined;
  return {
    method: def.method,
    path: openApiPath(def.path),
    access: accessOf(def),
    tags: [def.tag],
    summary: def.summary,
    idempotent: def.idempotent,
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
      ...(def.query ? { query: def.query } : {}),
      ...(body ? { body } : {}),
    },
    responses: {
      200: def.produces
        ? { description: "The file", content: { [def.produces]: { schema: z.string() } } }
        : { description: "OK (its schema is declared once the route moves to its feature)" },
    },
  };
}

/** Adds the old routes to lib's table: guarded and documented by it, each handler parsing its own input. */
export class RouteTable {
  private readonly idempotency: MiddlewareHandler;

  constructor(
    private readonly routes: LibRouteTable,
    private readonly deps: Pick<Deps, "auth" | "db">,
  ) {
    this.idempotency = idempotent(deps.db);
  }

  add(def: RouteDef, handler: Handler): void {
    if (def.page) {
      if (def.method !== "get" && def.method !== "post") throw new Error(`${def.path}: a page is GET or POST`);
      this.routes.page(pageRoute({ method: def.method, path: openApiPath(def.path), access: accessOf(def) }), handler);
      return;
    }
    const route = apiRouteOf(def);
    this.routes.apis.push(route);
    this.routes.app.openAPIRegistry.registerPath(documented(route) as never);
    const guard = guardFor(route.access, this.deps.auth.tokenRequired);
    this.routes.app.on(
      def.method.toUpperCase(),
      [def.path],
      ...guard,
      ...(def.idempotent ? [this.idempotency] : []),
      handler,
    );
  }
}
