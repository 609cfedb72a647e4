import { KeycloakAdminError } from "@hivematrix/lib/keycloak-admin";
import type { Deps } from "../deps.ts";
import type { SessionRow } from "../db/schema.ts";

/** What became of the person's sign-in at the identity provider when an admin revoked their session. */
export type IdpLogout = "ended" | "not_applicable" | { failed: string };

/**
 * Ends every session the person has at the identity provider, so a revoked browser is asked
 * for the password instead of being signed in again silently. Only browser sign-ins have one
 * (a CLI token has no IdP session). The Core session is revoked whatever happens here; a
 * failure is logged and reported to the admin, never thrown.
 */
export async function endIdpSessions(
  deps: Pick<Deps, "idpAdmin" | "logger" | "config">,
  session: SessionRow,
): Promise<IdpLogout> {
  if (session.source !== "login") return "not_applicable";
  const admin = deps.idpAdmin();
  if (!admin) {
    const reason =
      "no identity-provider admin password is set (KEYCLOAK_ADMIN_PASSWORD or secrets/keycloak-admin.secret)";
    deps.logger.error("could not end the user's sessions at the identity provider", { user: session.username, reason });
    return { failed: reason };
  }
  try {
    await admin.logoutUser(deps.config.idp.realm, session.sub);
    deps.logger.info("ended the user's sessions at the identity provider", { user: session.username });
    return "ended";
  } catch (e) {
    // A user deleted at the IdP has no sessions left there to end.
    if (e instanceof KeycloakAdminError && e.status === 404) return "ended";
    deps.logger.error("could not end the user's sessions at the identity provider", {
      user: session.username,
      error: e,
    });
    return { failed: (e as Error).message };
  }
}
