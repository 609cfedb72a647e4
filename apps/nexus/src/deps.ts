import { coreSessionCheck, createAuth, remoteJwks, VerifiedTokenCache } from "@hivematrix/lib/auth";
import type { AppConfig } from "@hivematrix/lib/config";
import { createCsrf } from "@hivematrix/lib/csrf";
import type { Logger } from "@hivematrix/lib/log";
import { readOrCreateSecret, serviceSecret } from "@hivematrix/lib/secrets";
import type { NexusDeps } from "./app.ts";
import { createNexusMetrics } from "./metrics.ts";
import { createOidc } from "./oidc.ts";
import { createSealer } from "./seal.ts";
import { createSessions } from "./sessions.ts";
import { loadNexusSettings } from "./settings.ts";
import { loadStylesheet } from "./stylesheet.ts";

/** Wires Nexus from its configuration: keys and secrets from HIVEMATRIX_HOME, Core, the IdP. */
export function buildNexusDeps(
  config: AppConfig,
  logger: Logger,
  env: Record<string, string | undefined> = process.env,
): NexusDeps {
  const settings = loadNexusSettings(config, env);
  // Verdicts are remembered for 2 s, so a session an admin revokes is refused within seconds.
  const sessionCheck = coreSessionCheck(config.coreUrl, 2_000);
  const auth = createAuth({
    audience: "nexus",
    keys: remoteJwks(config.coreUrl),
    sessionCheck,
    verifiedTokens: new VerifiedTokenCache(),
  });
  const sealer = createSealer(readOrCreateSecret(config.home, "nexus-cookie"));
  return {
    config,
    settings,
    logger,
    auth,
    csrf: createCsrf(serviceSecret(config.home, "nexus")),
    metrics: createNexusMetrics(),
    sealer,
    sessions: createSessions(auth, sealer),
    oidc: createOidc(config, readOrCreateSecret(config.home, config.idp.clientId), sealer),
    stylesheet: loadStylesheet(),
    forgetSession: (jti) => void sessionCheck.forget(jti),
  };
}
