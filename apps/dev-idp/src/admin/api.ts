import type { RouteTable } from "@hivematrix/lib/route-table";
import type { Deps } from "../deps.ts";
import { groupsApi } from "./api-groups.ts";
import { adminTokenApi } from "./api-token.ts";
import { usersApi } from "./api-users.ts";
import { KeycloakError } from "../users/keycloak-error.ts";
import { keycloakAnswers } from "./keycloak.ts";
import { adminTokenRequired, createAdminTokens } from "./tokens.ts";

/**
 * The subset of Keycloak's admin REST API that HiveMatrix uses (users, their passwords and
 * groups, groups and their members), at Keycloak's paths, with its JSON shapes, status codes
 * and error bodies, plus the master realm's `admin-cli` password grant that issues the admin's
 * bearer token. Served only on the IdP's loopback port (serve.ts): Nexus never forwards /admin.
 */
export function adminApi(routes: RouteTable, deps: Deps) {
  const tokens = createAdminTokens(deps.admin);
  const isRealmToken = async (token: string) => Boolean(await deps.provider.AccessToken.find(token).catch(() => null));
  routes.app.use("/realms/master/*", keycloakAnswers);
  routes.app.use("/admin/*", keycloakAnswers, adminTokenRequired(tokens, isRealmToken));
  routes.app.use("/admin/realms/:realm/*", async (c, next) => {
    if (c.req.param("realm") !== deps.settings.realm) throw new KeycloakError(404, { error: "Realm not found." });
    await next();
  });
  adminTokenApi(routes, deps, tokens);
  usersApi(routes, deps);
  groupsApi(routes, deps);
}
