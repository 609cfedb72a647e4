import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { LOG_COLLECTOR } from "@hivematrix/lib/log-shipper";
import { badRequest, forbidden, HttpError } from "@hivematrix/lib/errors";
import { jsonBody } from "@hivematrix/lib/validate";
import type { CoreDeps } from "../context.ts";
import { mintServiceToken, SERVICE_TOKEN_TTL_S } from "../tokens.ts";

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name");
const bodySchema = z.object({ calling_service: name, target_service: name });

const challenge = { "WWW-Authenticate": 'Basic realm="hivematrix-services"' };
const refused = (message: string) => new HttpError(401, "invalid_client", message, null, challenge);

function basicCredentials(header: string | undefined): { user: string; secret: string } | null {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header?.trim() ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i > 0 ? { user: decoded.slice(0, i), secret: decoded.slice(i + 1) } : null;
}

export function serviceTokenRoutes(app: Hono<AppEnv>, deps: CoreDeps) {
  app.post("/service-token", async (c) => {
    const creds = basicCredentials(c.req.header("authorization"));
    if (!creds)
      throw refused("Authenticate with HTTP Basic: the service name and its secret from HIVEMATRIX_HOME/secrets.");
    const body = await jsonBody(c, bodySchema);
    const known = Boolean(deps.config.services[creds.user]) || creds.user === IDENTITY_PROVIDER;
    if (!known || !(await deps.verifyServiceSecret(creds.user, creds.secret))) {
      deps.logger.warn("service token refused", { caller: creds.user, reason: "bad credentials" });
      throw refused("Unknown service or wrong secret.");
    }
    if (body.calling_service !== creds.user)
      throw forbidden(`Authenticated as ${creds.user}, so calling_service must be ${creds.user}.`);
    if (!deps.config.services[body.target_service])
      throw badRequest(`Unknown target service "${body.target_service}".`);
    if (body.target_service === body.calling_service) throw badRequest("A service cannot request a token for itself.");
    // The identity provider is a caller only to ship its logs.
    if (creds.user === IDENTITY_PROVIDER && body.target_service !== LOG_COLLECTOR)
      throw forbidden(`The identity provider may only call ${LOG_COLLECTOR}.`);
    return c.json({
      token: await mintServiceToken(deps.keys, body.calling_service, body.target_service),
      expires_in: SERVICE_TOKEN_TTL_S,
    });
  });
}
