import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { auditPage } from "../approvals/data.ts";
import { toolCallJson } from "../chat/json.ts";
import type { Deps } from "../deps.ts";
import { auditQuery } from "./api.ts";
import { AuditPage } from "./views.tsx";

const PAGE = 100;

export function auditPages(table: RouteTable, deps: Deps) {
  table.page(pageRoute({ method: "get", path: "/audit", access: ACCESS.adminPages }), async (c) => {
    const query = auditQuery.safeParse(c.req.query());
    const before = query.success && query.data.before ? new Date(query.data.before) : null;
    const rows = await auditPage(deps.db, PAGE, before);
    const last = rows[rows.length - 1];
    return c.render(
      <AuditPage
        calls={rows.map(toolCallJson)}
        nextBefore={rows.length === PAGE && last ? last.createdAt.toISOString() : null}
      />,
      { title: "Audit", section: "audit" },
    );
  });
}
