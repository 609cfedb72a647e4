import type { Context, Hono, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { idempotent } from "@hivematrix/lib/idempotency";
import type { CodexDeps } from "../context.ts";

/**
 * Who may call a route:
 * - read: every level; a client only when `client: true`, and then only its company's data
 * - data: admin and technician (companies, contacts, assets, tickets)
 * - billing: admin and billing (plans, overrides, line items, bills)
 * - staff: admin, technician and billing (reads of non-company data: plans, agents)
 * - admin: admin only
 * - reply: admin, technician, and a client on its own company's tickets
 * - self: a signed-in staff member (agent), about themselves; service calls refused
 * Service tokens pass every level check except `self`, per DESIGN.md.
 */
export type Access = "read" | "data" | "billing" | "staff" | "admin" | "reply" | "self";

export const LEVELS_FOR: Record<Access, PermissionLevel[]> = {
  read: ["admin", "technician", "billing", "client"],
  data: ["admin", "technician"],
  billing: ["admin", "billing"],
  staff: ["admin", "technician", "billing"],
  admin: ["admin"],
  reply: ["admin", "technician", "client"],
  self: ["admin", "technician", "billing"],
};

export type Method = "get" | "post" | "put" | "delete";

export interface RouteDef {
  method: Method;
  path: string;
  access: Access;
  /** For `read` routes: clients may call it (and see only their company). */
  client?: boolean;
  summary: string;
  tag: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Body media type when not JSON (CSV import). */
  bodyType?: "text/csv";
  /** Response media type when not JSON. */
  produces?: "text/csv" | "application/zip";
  /** A page (HTML) rather than an API route: people only, never service calls. */
  page?: boolean;
  /** A create a client may retry: it takes an Idempotency-Key header. */
  idempotent?: boolean;
}

/** The levels that may call a route (service calls aside). */
export function allowedLevels(def: Pick<RouteDef, "access" | "client">): PermissionLevel[] {
  const levels = LEVELS_FOR[def.access];
  return def.access === "read" && !def.client ? levels.filter((l) => l !== "client") : levels;
}

export type Handler = (c: Context<AppEnv>) => Response | Promise<Response>;

/** Every route of the app with its access rule: drives registration, OpenAPI and the permission tests. */
export class RouteTable {
  readonly routes: RouteDef[] = [];
  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly deps: CodexDeps,
  ) {}

  guard(def: RouteDef): MiddlewareHandler<AppEnv>[] {
    const levels = allowedLevels(def);
    if (def.page)
      return [this.deps.auth.requireUser(...levels), noStore, this.deps.csrf.protect as MiddlewareHandler<AppEnv>];
    if (def.access === "self") return [this.deps.auth.requireUser(...levels)];
    const auth = this.deps.auth.requirePermission(...levels);
    return def.idempotent ? [auth, idempotent(this.deps.db)] : [auth];
  }

  add(def: RouteDef, handler: Handler): void {
    this.routes.push(def);
    this.app.on(def.method.toUpperCase(), [def.path], ...this.guard(def), handler);
  }
}

/** Pages show one person's data: never cached by the browser or anything in between. */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
};
