import { notFound } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { DEFAULT_LINES, outputParams, outputQuery } from "./json.ts";
import { outputSnapshot } from "./stream.ts";
import { RawOutputPage } from "./views.tsx";

/** A service's raw output (admins): its last lines, then live with JavaScript on. */
export function outputPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/services/{name}/output", access: HELM_ACCESS.adminPeople }), (c) => {
    const params = outputParams.safeParse(c.req.param());
    if (!params.success) throw notFound("There is no such service.");
    const query = outputQuery.safeParse(c.req.query());
    const count = query.success ? query.data.lines : DEFAULT_LINES;
    if (!query.success) c.status(422);
    const snapshot = outputSnapshot(deps, params.data.name, count);
    return c.render(
      <RawOutputPage {...snapshot} count={count} error={query.success ? undefined : "Lines: 1 to 5,000."} />,
      { title: `Output of ${snapshot.service}`, section: "services" },
    );
  });
}
