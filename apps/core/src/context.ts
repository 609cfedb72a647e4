import type { Auth } from "@hivematrix/lib/auth";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import type { KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import type { CoreDb } from "./db/open.ts";
import type { KeyStore } from "./keys.ts";

/** What Core's routes need, built once in main.ts (or by a test). */
export interface CoreDeps {
  config: AppConfig;
  db: CoreDb;
  keys: KeyStore;
  logger: Logger;
  auth: Auth;
  csrf: Csrf;
  /** The realm URL Core reaches the identity provider at (for userinfo). */
  realmUrl: string;
  /** Lifetime of a signed-in session (and of its JWT). */
  sessionTtlMs: number;
  /** Checks a service's secret for /service-token (re-reading it from disk when it changed). */
  verifyServiceSecret: (service: string, secret: string) => Promise<boolean>;
  /** The identity provider's admin API (to end a revoked user's sessions there); null without a password. */
  idpAdmin: () => KeycloakAdmin | null;
}
