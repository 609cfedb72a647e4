import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { countLogs, queryLogs } from "./data.ts";
import { cursorsOf, filterOf, type LogQuery, logQuerySchema, PAGE_SIZE } from "./query.ts";
import { LiveTailPage, LogsPage } from "./views.tsx";

/** Lines the live tail page shows before new ones stream in. */
const TAIL_BACKLOG = 50;

/** The filters of a query, as the page's form and links carry them on (cursors and limit left out). */
function withoutCursors(query: LogQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && k !== "before" && k !== "after" && k !== "limit") out[k] = String(v);
  return out;
}

export function logsPages(routes: RouteTable, deps: Deps) {
  const services = [IDENTITY_PROVIDER, ...Object.keys(deps.config.services)];

  // A bad filter is shown next to its field (422), not as an error page: the page reads its query itself.
  routes.page(pageRoute({ method: "get", path: "/logs", access: HELM_ACCESS.adminPeople }), async (c) => {
    const page = { title: "Logs", section: "logs" };
    const parsed = logQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      c.status(422);
      return c.render(
        <LogsPage
          services={services}
          query={c.req.query()}
          errors={fieldErrors(parsed.error)}
          rows={[]}
          total={0}
          older={null}
          newer={null}
        />,
        page,
      );
    }
    const query = parsed.data;
    const filter = filterOf(query);
    const [found, total] = await Promise.all([
      queryLogs(deps.db, { ...filter, ...cursorsOf(query), limit: query.limit ?? PAGE_SIZE }),
      countLogs(deps.db, filter),
    ]);
    return c.render(
      <LogsPage
        services={services}
        query={withoutCursors(query)}
        errors={{}}
        rows={found.rows}
        total={total}
        older={found.older}
        newer={found.newer}
      />,
      page,
    );
  });

  routes.page(pageRoute({ method: "get", path: "/logs/tail", access: HELM_ACCESS.adminPeople }), async (c) => {
    const page = { title: "Live tail", section: "tail" };
    const parsed = logQuerySchema.safeParse(c.req.query());
    if (!parsed.success) {
      c.status(422);
      return c.render(
        <LiveTailPage services={services} query={c.req.query()} errors={fieldErrors(parsed.error)} backlog={[]} />,
        page,
      );
    }
    const query = withoutCursors(parsed.data);
    const latest = await queryLogs(deps.db, {
      ...filterOf({ ...parsed.data, from: undefined, to: undefined }),
      limit: TAIL_BACKLOG,
    });
    return c.render(
      <LiveTailPage services={services} query={query} errors={{}} backlog={latest.rows.reverse()} />,
      page,
    );
  });
}
