import type { Hono } from "hono";
import { z } from "zod";
import { prefixOf, type AppEnv } from "@hivematrix/lib/app";
import { parseWith } from "@hivematrix/lib/validate";
import type { HelmDeps } from "../context.ts";
import { controlService, findAction, recentActions } from "../control/actions.ts";
import { collectStatus } from "../control/status.ts";
import { ServicesPage } from "../views/services-page.tsx";
import { actorOf, adminPages, jsonOnly, pageContext } from "./guards.ts";

const params = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name"),
  action: z.enum(["start", "stop", "restart"]),
});

async function statusWithMetrics(deps: HelmDeps) {
  const { services, supervisorUp } = await collectStatus(deps.config, deps.supervisor);
  return { supervisorUp, services: services.map((s) => ({ ...s, metrics: deps.scraper.series(s.name) })) };
}

export function serviceRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  const pages = adminPages(deps);

  app.get("/api/services", deps.auth.requirePermission("admin"), async (c) => {
    const { supervisorUp, services } = await statusWithMetrics(deps);
    return c.json({ supervisor: supervisorUp, services });
  });

  // People only: a service token cannot start or stop anything.
  app.post("/api/services/:name/:action", deps.auth.requireUser("admin"), jsonOnly, async (c) => {
    const { name, action } = parseWith(params, c.req.param(), "Unknown service or action.");
    const result = await controlService(deps, name, action, actorOf(c), c.get("log"));
    if (result.outcome === "done" || result.outcome === "accepted")
      return c.json({ outcome: result.outcome, message: result.message }, result.status);
    return c.json({ error: { code: result.code, message: result.message, details: null } }, result.status);
  });

  app.get("/", ...pages, (c) => c.redirect(`${prefixOf(c)}/services`));

  app.get("/services", ...pages, async (c) => {
    const [{ supervisorUp, services }, actions] = await Promise.all([statusWithMetrics(deps), recentActions(deps)]);
    // The outcome of the action just taken, looked up by id so a link cannot put words on this page.
    const done = /^\d{1,9}$/.test(c.req.query("action") ?? "")
      ? await findAction(deps, Number(c.req.query("action")))
      : null;
    return c.html(
      <ServicesPage
        ctx={pageContext(c, deps)}
        supervisorUp={supervisorUp}
        services={services}
        actions={actions}
        notice={done?.message ?? undefined}
      />,
    );
  });

  app.post("/services/:name/:action", ...pages, async (c) => {
    const { name, action } = parseWith(params, c.req.param(), "Unknown service or action.");
    const result = await controlService(deps, name, action, actorOf(c), c.get("log"));
    if (result.outcome === "done" || result.outcome === "accepted") {
      return c.redirect(`${prefixOf(c)}/services?action=${result.id}`, 303);
    }
    const [{ supervisorUp, services }, actions] = await Promise.all([statusWithMetrics(deps), recentActions(deps)]);
    return c.html(
      <ServicesPage
        ctx={pageContext(c, deps)}
        supervisorUp={supervisorUp}
        services={services}
        actions={actions}
        error={result.message}
      />,
      result.status,
    );
  });
}
