import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { badRequest, forbidden, HttpError } from "@hivematrix/lib/errors";
import { LOG_COLLECTOR } from "@hivematrix/lib/log-shipper";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { CORE_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { mintServiceToken, SERVICE_TOKEN_TTL_S } from "../tokens/mint.ts";

const name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name");

const serviceTokenRoute = apiRoute({
  method: "post",
  path: "/service-token",
  access: CORE_ACCESS.serviceSecret,
  // Stryker disable StringLiteral,ArrayDeclaration: OpenAPI text (api-document.test.ts checks the document), not rules
  tags: ["Service tokens"],
  summary: "A 5-minute token for one service to call another (never reachable through Nexus)",
  // Stryker restore StringLiteral,ArrayDeclaration
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ calling_service: name, target_service: name }) } },
    },
  },
  // Stryker disable all: the response document is OpenAPI text, not a rule
  responses: {
    200: {
      description: "The service token, bound to the target as its audience",
      content: { "application/json": { schema: z.object({ token: z.string(), expires_in: z.number().int() }) } },
    },
  },
});
// Stryker restore all

const challenge = { "WWW-Authenticate": 'Basic realm="hivematrix-services"' };
const refused = (message: string) => new HttpError(401, "invalid_client", message, null, challenge);

function basicCredentials(header: string | undefined): { user: string; secret: string } | null {
  // Stryker disable next-line MethodExpression,StringLiteral: header values reach us trimmed; a missing one fails alike
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header?.trim() ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  return i > 0 ? { user: decoded.slice(0, i), secret: decoded.slice(i + 1) } : null;
}

/** The caller's HTTP Basic credentials, checked before the body: a stranger learns nothing of its rules. */
const serviceCredentials =
  (deps: Deps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("service", await authenticate(c.req.header("authorization"), deps));
    await next();
  };

async function authenticate(header: string | undefined, deps: Deps): Promise<string> {
  const creds = basicCredentials(header);
  if (!creds)
    throw refused("Authenticate with HTTP Basic: the service name and its secret from HIVEMATRIX_HOME/secrets.");
  const known = Boolean(deps.config.services[creds.user]) || creds.user === IDENTITY_PROVIDER;
  if (!known || !(await deps.verifyServiceSecret(creds.user, creds.secret))) {
    deps.logger.warn("service token refused", { caller: creds.user, reason: "bad credentials" });
    throw refused("Unknown service or wrong secret.");
  }
  return creds.user;
}

export function serviceTokensApi(routes: RouteTable, deps: Deps) {
  routes.api({ ...serviceTokenRoute, middleware: serviceCredentials(deps) }, async (c) => {
    const caller = c.get("service")!;
    const body = c.req.valid("json");
    if (body.calling_service !== caller)
      throw forbidden(`Authenticated as ${caller}, so calling_service must be ${caller}.`);
    if (!deps.config.services[body.target_service])
      throw badRequest(`Unknown target service "${body.target_service}".`);
    if (body.target_service === body.calling_service) throw badRequest("A service cannot request a token for itself.");
    // The identity provider is a caller only to ship its logs.
    if (caller === IDENTITY_PROVIDER && body.target_service !== LOG_COLLECTOR)
      throw forbidden(`The identity provider may only call ${LOG_COLLECTOR}.`);
    const token = await mintServiceToken(deps.keys, body.calling_service, body.target_service);
    return c.json({ token, expires_in: SERVICE_TOKEN_TTL_S }, 200);
  });
}
