import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { queryParams } from "@hivematrix/lib/validate";
import type { HelmDeps } from "../context.ts";
import { runAudit } from "../audit/audit.ts";
import { firewallPlan, firewallScript } from "../audit/firewall.ts";
import { SecurityPage } from "../views/security-page.tsx";
import { adminPages, pageContext } from "./guards.ts";

const typeQuery = z.object({ type: z.enum(["ufw", "iptables"]).default("ufw") }).strict();

export function securityRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  const pages = adminPages(deps);
  const audit = () => runAudit({ config: deps.config, env: deps.env, tryLogin: deps.auditLogin });
  const script = (type: "ufw" | "iptables") => firewallScript(type, firewallPlan(deps.config, deps.env));

  app.get("/api/security/audit", deps.auth.requirePermission("admin"), async (c) => c.json(await audit()));

  app.get("/api/security/firewall", deps.auth.requirePermission("admin"), (c) => {
    const { type } = queryParams(c, typeQuery);
    return c.json({ type, filename: `hivematrix-firewall-${type}.sh`, script: script(type) });
  });

  app.get("/security", ...pages, async (c) => {
    const { type } = queryParams(c, typeQuery);
    return c.html(
      <SecurityPage ctx={pageContext(c, deps)} report={await audit()} firewallType={type} script={script(type)} />,
    );
  });

  app.get("/security/firewall.sh", ...pages, (c) => {
    const { type } = queryParams(c, typeQuery);
    c.header("Content-Disposition", `attachment; filename="hivematrix-firewall-${type}.sh"`);
    c.header("Content-Type", "text/x-shellscript; charset=utf-8");
    return c.body(script(type));
  });
}
