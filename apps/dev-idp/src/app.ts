import { createAppShell } from "@hivematrix/lib/app-shell";
import { DEV_IDP_ACCESS } from "./access.ts";
import { adminApi } from "./admin/api.ts";
import type { Deps } from "./deps.ts";
import { DevIdpLayout } from "./layout.tsx";
import { signInPages } from "./sign-in/pages.tsx";

/**
 * The dev IdP's own routes: the realm's sign-in pages and Keycloak's admin API (oidc-provider
 * serves the realm's OpenID Connect endpoints beside this app; serve.ts sends each request to one).
 */
export function createDevIdpApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "dev-idp",
    title: "HiveMatrix dev identity provider",
    description:
      "Keycloak's admin REST API as HiveMatrix uses it (users, passwords, groups), at Keycloak's paths with its" +
      " JSON and errors, and the master realm's admin-cli password grant. Served only on this machine's loopback.",
    deps,
    layout: DevIdpLayout,
    db: deps.db,
    openApiAccess: DEV_IDP_ACCESS.loopback,
    health: () => ({ realm: deps.settings.realm, issuer: deps.issuer }),
  });
  signInPages(routes, deps);
  adminApi(routes, deps);
  return Object.assign(app, { routes });
}

export type DevIdpApp = ReturnType<typeof createDevIdpApp>;
