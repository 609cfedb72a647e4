import { z } from "zod";
import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { usageByMonth } from "./data.ts";

const monthSchema = z
  .object({
    user: z.string(),
    month: z.string(),
    messages: z.number().int(),
    input: z.number().int(),
    output: z.number().int(),
    cache_read: z.number().int(),
    cache_write: z.number().int(),
  })
  .meta({ id: "MonthUsage" });

const usageRoute = apiRoute({
  method: "get",
  path: "/api/usage",
  access: ACCESS.admin,
  tags: ["Usage"],
  summary: "Tokens used per person per month (input, output, cache read and write), newest month first",
  request: { query: z.object({ months: z.coerce.number().int().min(1).max(36).optional() }).strict() },
  responses: {
    200: jsonResponse("Usage", z.object({ usage: z.array(monthSchema) })),
  },
});

export function usageApi(table: RouteTable, deps: Deps) {
  table.api(usageRoute, async (c) => {
    const rows = await usageByMonth(deps.db, { userSub: null, months: c.req.valid("query").months ?? 12 });
    return c.json(
      {
        usage: rows.map((row) => ({
          user: row.user,
          month: row.month,
          messages: row.messages,
          input: row.input,
          output: row.output,
          cache_read: row.cacheRead,
          cache_write: row.cacheWrite,
        })),
      },
      200,
    );
  });
}
