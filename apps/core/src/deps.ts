import { createAuth } from "@hivematrix/lib/auth";
import { readInt, realmUrl, type AppConfig } from "@hivematrix/lib/config";
import { createCsrf } from "@hivematrix/lib/csrf";
import { platformKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import { ensureHome, serviceSecret } from "@hivematrix/lib/secrets";
import type { CoreDeps } from "./context.ts";
import { openCoreDbWhenReachable } from "./db/open.ts";
import { KeyStore } from "./keys.ts";
import { registerServiceSecrets, serviceSecretVerifier } from "./service-credentials.ts";
import { findSession, judgeSession, touchSession } from "./sessions.ts";
import { localKeys, USER_TOKEN_TTL_S } from "./tokens.ts";

export interface CoreSettings {
  sessionTtlMs: number;
  purgeIntervalMs: number;
  /** How often, at most, a service's secret file is read again after a wrong secret. */
  secretRecheckMs: number;
}

/** Core's own settings, read once: CORE_SESSION_TTL_SECONDS and CORE_PURGE_INTERVAL_SECONDS. */
export function loadCoreSettings(env: Record<string, string | undefined> = process.env): CoreSettings {
  const seconds = (name: string, fallback: number, min: number, max: number) =>
    readInt(env, name, fallback, min, max) * 1000;
  return {
    sessionTtlMs: seconds("CORE_SESSION_TTL_SECONDS", USER_TOKEN_TTL_S, 1, 86_400),
    purgeIntervalMs: seconds("CORE_PURGE_INTERVAL_SECONDS", 300, 1, 86_400),
    secretRecheckMs: 5_000,
  };
}

export async function buildCoreDeps(
  config: AppConfig,
  logger: Logger,
  settings: CoreSettings,
  env: Record<string, string | undefined> = process.env,
): Promise<CoreDeps> {
  ensureHome(config.home);
  const keys = await KeyStore.open(config.home);
  // Core listens at once and answers 503 until its database answers; the secrets are registered then.
  const db = openCoreDbWhenReachable(config, logger, (h) => registerServiceSecrets(h, config.home, config.services));
  const auth = createAuth({
    audience: "core",
    keys: localKeys(keys),
    sessionCheck: async (_token, claims) => {
      const verdict = judgeSession(await findSession(db, claims.jti));
      if (!verdict.valid) return verdict;
      await touchSession(db, verdict.session);
      return { valid: true };
    },
  });
  return {
    config,
    db,
    keys,
    logger,
    auth,
    csrf: createCsrf(serviceSecret(config.home, "core")),
    realmUrl: realmUrl(config),
    sessionTtlMs: settings.sessionTtlMs,
    verifyServiceSecret: serviceSecretVerifier(db, config.home, logger, settings.secretRecheckMs),
    idpAdmin: platformKeycloakAdmin({ url: config.idp.url, home: config.home, env }),
  };
}
