import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { parseWith } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { runAudit } from "./audit.ts";
import { firewallPlan, firewallScript } from "./firewall.ts";
import { type FirewallKind, firewallQuery } from "./json.ts";
import { SecurityPage } from "./views.tsx";

export function securityPages(routes: RouteTable, deps: Deps) {
  const typeOf = (query: Record<string, string>) => parseWith(firewallQuery, query, "The query is invalid.").type;
  const script = (type: FirewallKind) => firewallScript(type, firewallPlan(deps.config, deps.settings.env));

  routes.page(pageRoute({ method: "get", path: "/security", access: HELM_ACCESS.adminPeople }), async (c) => {
    const type = typeOf(c.req.query());
    const report = await runAudit({ config: deps.config, env: deps.settings.env });
    return c.render(<SecurityPage report={report} firewallType={type} script={script(type)} />, {
      title: "Security audit",
      section: "security",
    });
  });

  routes.page(pageRoute({ method: "get", path: "/security/firewall.sh", access: HELM_ACCESS.adminPeople }), (c) => {
    const type = typeOf(c.req.query());
    c.header("Content-Disposition", `attachment; filename="hivematrix-firewall-${type}.sh"`);
    c.header("Content-Type", "text/x-shellscript; charset=utf-8");
    return c.body(script(type));
  });
}
