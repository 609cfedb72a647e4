import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { usageByMonth } from "./data.ts";
import { UsagePage } from "./views.tsx";

/** Usage per month: an admin sees everyone's per person, anyone else their own. */
export function usagePages(table: RouteTable, deps: Deps) {
  table.page(pageRoute({ method: "get", path: "/usage", access: ACCESS.people }), async (c) => {
    const user = c.get("user")!;
    const everyone = user.permission_level === "admin";
    const rows = await usageByMonth(deps.db, { userSub: everyone ? null : user.sub, months: 12 });
    return c.render(<UsagePage rows={rows} everyone={everyone} />, { title: "Usage", section: "usage" });
  });
}
