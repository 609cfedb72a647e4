import { z } from "zod";
import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { auditNow } from "./audit-now.ts";
import { nexusCertificate } from "./certificate.ts";
import { firewallPlan, firewallScript } from "./firewall.ts";
import { auditReportSchema, certificateSchema, firewallKinds, firewallQuery } from "./json.ts";

const auditRoute = apiRoute({
  method: "get",
  path: "/api/security/audit",
  access: HELM_ACCESS.admin,
  tags: ["Security"],
  summary:
    "Run the security audit: listening addresses, weak secrets, default passwords, TLS and Nexus's certificate," +
    " file permissions, backups",
  responses: { 200: jsonResponse("The report, worst findings first", auditReportSchema) },
});

const firewallRoute = apiRoute({
  method: "get",
  path: "/api/security/firewall",
  access: HELM_ACCESS.admin,
  tags: ["Security"],
  summary: "A firewall script that leaves only SSH and Nexus reachable from other machines",
  request: { query: firewallQuery },
  responses: {
    200: jsonResponse(
      "The script, to review and run as root",
      z.object({ type: z.enum(firewallKinds), filename: z.string(), script: z.string() }),
    ),
  },
});

const certificateRoute = apiRoute({
  method: "get",
  path: "/api/security/certificate",
  access: HELM_ACCESS.admin,
  tags: ["Security"],
  summary: "Nexus's TLS certificate: subject, issuer, validity and days left (or that no TLS is configured)",
  responses: { 200: jsonResponse("What NEXUS_TLS_CERT holds", certificateSchema) },
});

export function securityApi(routes: RouteTable, deps: Deps) {
  routes.api(auditRoute, async (c) => c.json(await auditNow(deps), 200));

  routes.api(certificateRoute, (c) => c.json(nexusCertificate(deps.config, deps.settings.env), 200));

  routes.api(firewallRoute, (c) => {
    const { type } = c.req.valid("query");
    const script = firewallScript(type, firewallPlan(deps.config, deps.settings.env));
    return c.json({ type, filename: `hivematrix-firewall-${type}.sh`, script }, 200);
  });
}
