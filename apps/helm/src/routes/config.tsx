import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { HelmDeps } from "../context.ts";
import { appSettings, idpSettings, platformSettings, secretFiles, servicesFileText } from "../config-view.ts";
import { ConfigPage } from "../views/config-page.tsx";
import { adminPages, pageContext } from "./guards.ts";

export function configRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  const view = () => ({
    services_file: deps.config.servicesFile,
    services: deps.config.services,
    platform: platformSettings(deps.config, deps.env),
    identity_provider: idpSettings(deps.config, deps.env),
    apps: appSettings(deps.config, deps.env, deps.settings),
    secrets: secretFiles(deps.config.home),
  });

  app.get("/api/config", deps.auth.requirePermission("admin"), (c) => c.json(view()));

  app.get("/config", ...adminPages(deps), (c) => {
    const v = view();
    return c.html(
      <ConfigPage
        ctx={pageContext(c, deps)}
        servicesFile={v.services_file}
        servicesText={servicesFileText(deps.config)}
        platform={v.platform}
        idp={v.identity_provider}
        apps={v.apps}
        secrets={v.secrets}
      />,
    );
  });
}
