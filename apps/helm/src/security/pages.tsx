import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { parseWith } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { auditNow } from "./audit-now.ts";
import { nexusCertificate } from "./certificate.ts";
import { firewallPlan, firewallScript } from "./firewall.ts";
import { type FirewallKind, firewallQuery } from "./json.ts";
import { SecurityPage } from "./views.tsx";
import { CertificatePage } from "./views-certificate.tsx";

export function securityPages(routes: RouteTable, deps: Deps) {
  const typeOf = (query: Record<string, string>) => parseWith(firewallQuery, query, "The query is invalid.").type;
  const script = (type: FirewallKind) => firewallScript(type, firewallPlan(deps.config, deps.settings.env));

  routes.page(pageRoute({ method: "get", path: "/security", access: HELM_ACCESS.adminPeople }), async (c) => {
    const type = typeOf(c.req.query());
    const report = await auditNow(deps);
    return c.render(<SecurityPage report={report} firewallType={type} script={script(type)} />, {
      title: "Security audit",
      section: "security",
    });
  });

  routes.page(pageRoute({ method: "get", path: "/security/certificate", access: HELM_ACCESS.adminPeople }), (c) =>
    c.render(<CertificatePage certificate={nexusCertificate(deps.config, deps.settings.env)} />, {
      title: "TLS certificate",
      section: "security",
    }),
  );

  routes.page(pageRoute({ method: "get", path: "/security/firewall.sh", access: HELM_ACCESS.adminPeople }), (c) => {
    const type = typeOf(c.req.query());
    c.header("Content-Disposition", `attachment; filename="hivematrix-firewall-${type}.sh"`);
    c.header("Content-Type", "text/x-shellscript; charset=utf-8");
    return c.body(script(type));
  });
}
