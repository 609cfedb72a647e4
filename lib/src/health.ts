import { z } from "zod";
import { access } from "./access.ts";
import { DATABASE_RETRY_AFTER_SECONDS } from "./db-errors.ts";
import { databaseStatus } from "./db-health.ts";
import type { DbHandle } from "./db.ts";
import type { RouteTable } from "./route-table.ts";
import { VERSION } from "./version.ts";

const databaseSchema = z.object({
  engine: z.enum(["sqlite", "postgres"]),
  status: z.enum(["ok", "starting", "unavailable"]),
});

export const healthSchema = z
  .looseObject({
    status: z.string().meta({ description: "ok; starting or unavailable while the app's database is not" }),
    service: z.string(),
    version: z.string(),
    uptime_s: z.number().int(),
    database: databaseSchema.optional(),
  })
  .meta({ id: "Health" });

export interface HealthOptions {
  /** The app's database: /health answers 503 while it is starting or does not answer `SELECT 1`. */
  // biome-ignore lint/suspicious/noExplicitAny: any app's schema
  db?: DbHandle<any>;
  /** What else the app reports. */
  details?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/**
 * GET /health for anyone (the supervisor, Helm, a load balancer): status, version, uptime, the
 * database's state and the app's own details; 503 with Retry-After while the database is not ready.
 */
export function serveHealth(routes: RouteTable, service: string, o: HealthOptions = {}): void {
  routes.api(
    {
      method: "get",
      path: "/health",
      access: access.public("public"),
      tags: ["Health"],
      summary: "Whether this app is up, its version and uptime, and its database's state",
      responses: {
        200: { description: "Up", content: { "application/json": { schema: healthSchema } } },
        503: {
          description: "Up, but its database is not ready",
          content: { "application/json": { schema: healthSchema } },
        },
      },
    },
    async (c) => {
      const db = o.db ? { engine: o.db.engine, status: await databaseStatus(o.db) } : undefined;
      const body = {
        status: db && db.status !== "ok" ? db.status : "ok",
        service,
        version: VERSION,
        uptime_s: Math.round(process.uptime()),
        ...(db ? { database: db } : {}),
        ...(await o.details?.()),
      };
      if (body.status === "ok") return c.json(body, 200);
      c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
      return c.json(body, 503);
    },
  );
}
