import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer } from "../shared/route-schemas.ts";
import { auditPage } from "./data.ts";
import { auditPageSchema, auditQuery } from "./json.ts";

const auditRoute = apiRoute({
  method: "get",
  path: "/api/audit",
  access: ACCESS.admin,
  tags: ["Audit"],
  summary: "The audit log, newest first",
  request: { query: auditQuery },
  responses: { 200: jsonAnswer(auditPageSchema, "A page of audit rows") },
});

export function adminApi(routes: RouteTable, deps: Deps) {
  routes.api(auditRoute, async (c) => c.json(await auditPage(deps.db, c.req.valid("query")), 200));
}
