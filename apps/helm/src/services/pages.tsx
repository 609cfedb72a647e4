import { z } from "zod";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { parseWith } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { backupEvidence } from "../backups/evidence.ts";
import { controlService, restartAllApps } from "./control.ts";
import { findAction, recentActions } from "./data.ts";
import { controlParams } from "./json.ts";
import { servicesWithMetrics } from "./status.ts";
import { ServicesPage } from "./views.tsx";

const actionId = z.coerce.number().int().min(1).max(999_999_999);

/** What the services page shows besides the units: recent actions and the state of backups. */
async function pageState(deps: Deps) {
  const [status, actions, backup] = await Promise.all([
    servicesWithMetrics(deps),
    recentActions(deps.db),
    backupEvidence(deps.settings.backup.dir, deps.db),
  ]);
  return { ...status, actions, backup, backupRunning: deps.backups.runner.progress() };
}

export function servicesPages(routes: RouteTable, deps: Deps) {
  const page = { title: "Services", section: "services" };

  routes.page(pageRoute({ method: "get", path: "/", access: HELM_ACCESS.adminPeople }), (c) =>
    c.redirect(c.get("page")!.url("/services")),
  );

  routes.page(pageRoute({ method: "get", path: "/services", access: HELM_ACCESS.adminPeople }), async (c) => {
    const state = await pageState(deps);
    // The outcome of the action just taken, looked up by id so a link cannot put words on this page.
    const id = actionId.safeParse(c.req.query("action"));
    const done = id.success ? await findAction(deps.db, id.data) : null;
    return c.render(<ServicesPage {...state} />, {
      ...page,
      notice: done?.message ? { variant: "success", text: done.message } : null,
      // While every app restarts, the page follows it without a script.
      refreshSeconds: state.restartAll?.status === "running" ? 3 : undefined,
    });
  });

  routes.page(
    pageRoute({ method: "post", path: "/services/restart-all", access: HELM_ACCESS.adminPeople }),
    async (c) => {
      const result = await restartAllApps(deps, c.get("user")!.preferred_username, c.get("log"));
      if (result.outcome === "accepted") return c.redirect(c.get("page")!.url(`/services?action=${result.id}`), 303);
      c.status(result.status);
      return c.render(<ServicesPage {...(await pageState(deps))} error={result.message} />, page);
    },
  );

  routes.page(
    pageRoute({ method: "post", path: "/services/{name}/{action}", access: HELM_ACCESS.adminPeople }),
    async (c) => {
      const { name, action } = parseWith(controlParams, c.req.param(), "Unknown service or action.");
      const actor = c.get("user")!.preferred_username;
      const result = await controlService(deps, name, action, actor, c.get("log"));
      if (result.outcome === "done" || result.outcome === "accepted")
        return c.redirect(c.get("page")!.url(`/services?action=${result.id}`), 303);
      c.status(result.status);
      return c.render(<ServicesPage {...(await pageState(deps))} error={result.message} />, page);
    },
  );
}
