import { z } from "zod";
import { access } from "./access.ts";
import type { RouteTable } from "./route-table.ts";
import { VERSION } from "./version.ts";

export const healthSchema = z
  .looseObject({
    status: z.string().meta({ description: "ok when the app can serve" }),
    service: z.string(),
    version: z.string(),
    uptime_s: z.number().int(),
  })
  .meta({ id: "Health" });

/** GET /health for anyone (the supervisor, Helm, a load balancer): status, version, uptime and the app's own details. */
export function serveHealth(
  routes: RouteTable,
  service: string,
  details: () => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
): void {
  routes.api(
    {
      method: "get",
      path: "/health",
      access: access.public("public"),
      tags: ["Health"],
      summary: "Whether this app is up, its version and uptime",
      responses: { 200: { description: "Up", content: { "application/json": { schema: healthSchema } } } },
    },
    async (c) =>
      c.json(
        {
          status: "ok",
          service,
          version: VERSION,
          uptime_s: Math.round(process.uptime()),
          ...(await details()),
        },
        200,
      ),
  );
}
