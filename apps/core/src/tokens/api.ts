import type { Context } from "hono";
import { compactVerify, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { ISSUER, permissionLevelFor, type UserClaims, userClaimsSchema } from "@hivematrix/lib/auth";
import { forbidden, HttpError, notFound } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { CORE_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { createSession, findSession, judgeSession, revokeSession, touchSession } from "../sessions/data.ts";
import { displayName, fetchUserinfo } from "./idp-userinfo.ts";
import { localKeys, mintUserToken } from "./mint.ts";

const tokenBody = z.object({ token: z.string().min(1).max(16_384) });
const exchangeBody = z.object({
  access_token: z.string().min(1).max(16_384),
  client_ip: z.string().max(100).optional(),
  user_agent: z.string().max(1000).optional(),
});
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });

// The routes' tags, summaries and response documents are OpenAPI text that api-document.test.ts
// checks as a document; the request schemas above are the rules, and stay mutated.
// Stryker disable StringLiteral,ArrayDeclaration,ObjectLiteral,BooleanLiteral: documentation, not rules
const exchangeRoute = apiRoute({
  method: "post",
  path: "/api/token/exchange",
  access: CORE_ACCESS.tokenHolder,
  tags: ["Tokens"],
  summary: "Trade an identity-provider access token for a HiveMatrix JWT backed by a new session",
  request: { body: json(exchangeBody) },
  responses: {
    200: {
      description: "The session's JWT",
      content: { "application/json": { schema: z.object({ token: z.string(), expires_at: z.iso.datetime() }) } },
    },
  },
});

const validateRoute = apiRoute({
  method: "post",
  path: "/api/token/validate",
  access: CORE_ACCESS.tokenHolder,
  tags: ["Tokens"],
  summary: "Whether a HiveMatrix user JWT is genuine and its session live",
  request: { body: json(tokenBody) },
  responses: {
    200: {
      description: "The verdict (an unacceptable token is a verdict, not an error)",
      content: {
        "application/json": {
          schema: z.union([
            z.object({ valid: z.literal(true), user: userClaimsSchema }),
            z.object({ valid: z.literal(false), error: z.string() }),
          ]),
        },
      },
    },
  },
});

const revokeRoute = apiRoute({
  method: "post",
  path: "/api/token/revoke",
  access: CORE_ACCESS.tokenHolder,
  tags: ["Tokens"],
  summary: "End the session a token belongs to (sign-out)",
  request: { body: json(tokenBody) },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: z.object({ message: z.string() }) } } },
    400: { description: "Not a token Core issued" },
  },
});
// Stryker restore StringLiteral,ArrayDeclaration,ObjectLiteral,BooleanLiteral

/** Why a token is not acceptable, in the words /api/token/validate answers with. */
function reasonOf(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "token_expired";
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "unknown_key";
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm_not_allowed";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "bad_signature";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `bad_claim_${e.claim}`;
  // Stryker disable next-line ConditionalExpression: jose raises only its own errors for a token from outside
  if (e instanceof joseErrors.JOSEError) return "malformed_token";
  throw e;
}

function clientIp(c: Context): string | null {
  // Stryker disable next-line OptionalChaining: split always gives a first part
  return c.req.header("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

export function tokensApi(routes: RouteTable, deps: Deps) {
  const keys = localKeys(deps.keys);

  routes.api(exchangeRoute, async (c) => {
    const body = c.req.valid("json");
    const idpUser = await fetchUserinfo(deps.realmUrl, body.access_token);
    const level = permissionLevelFor(idpUser.groups);
    if (level === "client" && !idpUser.company) {
      throw forbidden(
        "This account is not linked to a company (no `company` attribute), so it cannot sign in as a client.",
      );
    }
    const session = await createSession(deps.db, {
      sub: idpUser.sub,
      username: idpUser.preferred_username,
      name: displayName(idpUser),
      email: idpUser.email ?? "",
      permissionLevel: level,
      groups: idpUser.groups.map((g) => g.replace(/^\/+/, "")),
      company: level === "client" ? idpUser.company! : null,
      source: "login",
      ttlMs: deps.settings.sessionTtlMs,
      ip: body.client_ip ?? clientIp(c),
      userAgent: body.user_agent ?? c.req.header("user-agent") ?? null,
    });
    deps.logger.info("session created", {
      user: session.username,
      permission_level: level,
      session: session.id.slice(0, 8),
    });
    const token = await mintUserToken(deps.keys, session);
    return c.json({ token, expires_at: session.expiresAt.toISOString() }, 200);
  });

  routes.api(validateRoute, async (c) => {
    const { token } = c.req.valid("json");
    let claims: UserClaims;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: ISSUER,
        algorithms: ["RS256"],
        requiredClaims: ["exp", "iat"],
      });
      const parsed = userClaimsSchema.safeParse(payload);
      if (!parsed.success)
        return c.json(
          { valid: false as const, error: payload.type === "service" ? "not_a_session_token" : "malformed_claims" },
          200,
        );
      // As lib/auth: a user token is good for every app, so one naming an audience is not one Core minted.
      if ("aud" in payload) return c.json({ valid: false as const, error: "unexpected_audience" }, 200);
      claims = parsed.data;
    } catch (e) {
      return c.json({ valid: false as const, error: reasonOf(e) }, 200);
    }
    const verdict = judgeSession(await findSession(deps.db, claims.jti));
    if (!verdict.valid) return c.json({ valid: false as const, error: verdict.error }, 200);
    await touchSession(deps.db, verdict.session);
    return c.json({ valid: true as const, user: claims }, 200);
  });

  routes.api(revokeRoute, async (c) => {
    const { token } = c.req.valid("json");
    let jti: unknown;
    try {
      // Revoking needs only proof the token is ours; an expired token may still be revoked.
      const { payload } = await compactVerify(token, keys, { algorithms: ["RS256"] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      // Stryker disable next-line StringLiteral: jose's message is not shown; the claim's name is (bad_claim_iss)
      if (claims.iss !== ISSUER) throw new joseErrors.JWTClaimValidationFailed("unexpected iss", {}, "iss");
      jti = claims.jti;
    } catch (e) {
      throw new HttpError(400, "invalid_token", `This is not a token Core issued (${reasonOf(e)}).`);
    }
    // Stryker disable next-line ConditionalExpression: revokeSession finds no session for a missing id either
    if (typeof jti !== "string" || !(await revokeSession(deps.db, jti)))
      throw notFound("No session matches this token.");
    await deps.revocations.announce(jti);
    deps.logger.info("session revoked by its holder", { session: jti.slice(0, 8) });
    return c.json({ message: "Session revoked." }, 200);
  });
}
