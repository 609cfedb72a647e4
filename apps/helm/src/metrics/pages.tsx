import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { metricsOverview } from "./summary.ts";
import { MetricsPage } from "./views.tsx";

/** The metrics page (admins): charts of every app over the span Helm keeps; /metrics itself is Prometheus's. */
export function metricsPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/performance", access: HELM_ACCESS.adminPeople }), (c) =>
    c.render(<MetricsPage overview={metricsOverview(deps)} />, {
      title: "Metrics",
      section: "metrics",
    }),
  );
}
