import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { metricsSchema } from "./json.ts";
import { metricsOverview } from "./summary.ts";

const overviewRoute = apiRoute({
  method: "get",
  path: "/api/metrics",
  access: HELM_ACCESS.admin,
  tags: ["Metrics"],
  summary: "Each app's request rate, p50/p95 latency, 5xx share, CPU and memory over the charts' span",
  description: "From Helm's scrapes of every app's /metrics: each point covers the time since the scrape before it.",
  responses: { 200: jsonResponse("Every app of services.json, in its order", metricsSchema) },
});

export function metricsApi(routes: RouteTable, deps: Deps) {
  routes.api(overviewRoute, (c) => c.json(metricsOverview(deps), 200));
}
