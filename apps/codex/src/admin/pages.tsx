import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { listJobs } from "../integrations/sync/jobs.ts";
import { mailOverview } from "../mail/outbox/data-overview.ts";
import { databaseStats, recentChanges } from "./data.ts";
import { AdminPage } from "./views.tsx";

/** The admin's overview: the database's tables, email, recent syncs and recent changes. */
export function adminPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  routes.page(pageRoute({ method: "get", path: "/admin", access: PAGES.admin }), async (c) =>
    c.render(
      <AdminPage
        stats={await databaseStats(db)}
        jobs={await listJobs(db, { limit: 10 })}
        audit={await recentChanges(db, 20)}
        engine={db.engine === "sqlite" ? "SQLite" : "PostgreSQL"}
        mail={await mailOverview(db, deps.settings.mail)}
      />,
      { title: "Admin settings", section: "admin" },
    ),
  );
}
