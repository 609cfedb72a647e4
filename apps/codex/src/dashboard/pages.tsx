import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { dashboardData } from "./data.ts";
import { DashboardPage } from "./views.tsx";

/** The home page: counts, ticket flow and assets by type (a client's of their company). */
export function dashboardPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/", access: PAGES.readWithClientScope }), async (c) => {
    const page = c.get("page")!;
    const data = await dashboardData(deps.db, await scopeCompanyId(c, deps));
    // A client's one company links to its own page.
    const own = `/companies/${encodeURIComponent(page.company ?? "")}`;
    data.counts = data.counts.map((figure) => ({
      ...figure,
      href: page.url(figure.label === "Company" ? own : figure.href),
    }));
    const title = page.company ? `Dashboard: ${page.company}` : "Dashboard";
    return c.render(<DashboardPage data={data} title={title} />, { title: "Dashboard", section: "dashboard" });
  });
}
