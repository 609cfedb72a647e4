import { z } from "zod";
import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { auditPage } from "../approvals/data.ts";
import { toolCallJson, toolCallSchema } from "../chat/json.ts";
import type { Deps } from "../deps.ts";

export const auditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).optional(),
    before: z.iso.datetime().optional().meta({ description: "next_before of the previous page" }),
  })
  .strict();

const auditRoute = apiRoute({
  method: "get",
  path: "/api/audit",
  access: ACCESS.admin,
  tags: ["Audit"],
  summary: "Every tool call of every chat, newest first: who, tool, input, decision, by whom, when, result status",
  request: { query: auditQuery },
  responses: {
    200: jsonResponse(
      "A page of tool calls",
      z.object({ tool_calls: z.array(toolCallSchema), next_before: z.string().nullable() }),
    ),
  },
});

export function auditApi(table: RouteTable, deps: Deps) {
  table.api(auditRoute, async (c) => {
    const query = c.req.valid("query");
    const limit = query.limit ?? 100;
    const rows = await auditPage(deps.db, limit, query.before ? new Date(query.before) : null);
    const last = rows[rows.length - 1];
    return c.json(
      {
        tool_calls: rows.map(toolCallJson),
        next_before: rows.length === limit && last ? last.createdAt.toISOString() : null,
      },
      200,
    );
  });
}
