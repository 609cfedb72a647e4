import { createAppShell } from "@hivematrix/lib/app-shell";
import type { Deps } from "./deps.ts";
import { homePages } from "./home/pages.tsx";
import { NexusLayout } from "./layout.tsx";
import { refuseCrossSiteForms } from "./proxy/cross-site.ts";
import { createFrontDoor } from "./proxy/front-door.ts";
import { ownRouteCaller } from "./sessions/caller.ts";
import { signInPages } from "./sign-in/pages.tsx";
import { signOutPages } from "./sign-out/pages.tsx";
import { stylesheetApi } from "./stylesheet/api.ts";

/** Nexus's own routes, feature by feature: the design system's stylesheet, signing in and out, home. */
export function createNexusApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "nexus",
    title: "HiveMatrix Nexus",
    description:
      "The gateway's own routes: signing in and out, the home page and the design system's stylesheet." +
      " Every app's own API is under /<app>/, described by /<app>/api/openapi.json.",
    deps,
    authenticate: ownRouteCaller(deps),
    metrics: deps.metrics.base,
    layout: NexusLayout,
    health: () => ({ services: deps.services.size, ...(deps.settings.worker ? { worker: deps.settings.worker } : {}) }),
  });
  app.use(refuseCrossSiteForms);
  stylesheetApi(routes, deps);
  signInPages(routes, deps);
  signOutPages(routes, deps);
  homePages(routes, deps);
  return Object.assign(app, { routes });
}

export type NexusApp = ReturnType<typeof createNexusApp>;

/** Nexus as it serves: the proxy to every app (outside Hono, for speed), then its own routes. */
export function createNexus(deps: Deps) {
  const app = createNexusApp(deps);
  return { ...createFrontDoor(deps, app), routes: app.routes };
}

export type Nexus = ReturnType<typeof createNexus>;
