import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { configuration, servicesFileText } from "./effective.ts";
import { ConfigPage } from "./views.tsx";

export function configPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/config", access: HELM_ACCESS.adminPeople }), (c) =>
    c.render(<ConfigPage {...configuration(deps.settings)} servicesText={servicesFileText(deps.config)} />, {
      title: "Configuration",
      section: "config",
    }),
  );
}
