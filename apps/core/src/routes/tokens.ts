import type { Context, Hono } from "hono";
import { compactVerify, decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { ISSUER, permissionLevelFor, userClaimsSchema, type UserClaims } from "@hivematrix/lib/auth";
import { forbidden, HttpError, notFound } from "@hivematrix/lib/errors";
import { jsonBody } from "@hivematrix/lib/validate";
import type { CoreDeps } from "../context.ts";
import { displayName, fetchUserinfo } from "../idp.ts";
import { createSession, findSession, judgeSession, revokeSession, touchSession } from "../sessions.ts";
import { localKeys, mintUserToken } from "../tokens.ts";

const exchangeSchema = z.object({
  access_token: z.string().min(1).max(16_384),
  client_ip: z.string().max(100).optional(),
  user_agent: z.string().max(1000).optional(),
});
const tokenSchema = z.object({ token: z.string().min(1).max(16_384) });

/** Why a token is not acceptable, in the words /api/token/validate answers with. */
function reasonOf(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "token_expired";
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "unknown_key";
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm_not_allowed";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "bad_signature";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `bad_claim_${e.claim}`;
  if (e instanceof joseErrors.JOSEError) return "malformed_token";
  throw e;
}

function clientIp(c: Context): string | null {
  return c.req.header("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

export function tokenRoutes(app: Hono<AppEnv>, deps: CoreDeps) {
  const keys = localKeys(deps.keys);

  app.post("/api/token/exchange", async (c) => {
    const body = await jsonBody(c, exchangeSchema);
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
      ttlMs: deps.sessionTtlMs,
      ip: body.client_ip ?? clientIp(c),
      userAgent: body.user_agent ?? c.req.header("user-agent") ?? null,
    });
    deps.logger.info("session created", {
      user: session.username,
      permission_level: level,
      session: session.id.slice(0, 8),
    });
    return c.json({ token: await mintUserToken(deps.keys, session), expires_at: session.expiresAt.toISOString() });
  });

  app.post("/api/token/validate", async (c) => {
    const { token } = await jsonBody(c, tokenSchema);
    let claims: UserClaims;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: ISSUER,
        algorithms: ["RS256"],
        requiredClaims: ["exp", "iat"],
      });
      const parsed = userClaimsSchema.safeParse(payload);
      if (!parsed.success)
        return c.json({ valid: false, error: payload.type === "service" ? "not_a_session_token" : "malformed_claims" });
      // As lib/auth: a user token is good for every app, so one naming an audience is not one Core minted.
      if ("aud" in payload) return c.json({ valid: false, error: "unexpected_audience" });
      claims = parsed.data;
    } catch (e) {
      return c.json({ valid: false, error: reasonOf(e) });
    }
    const verdict = judgeSession(await findSession(deps.db, claims.jti));
    if (!verdict.valid) return c.json({ valid: false, error: verdict.error });
    await touchSession(deps.db, verdict.session);
    return c.json({ valid: true, user: claims });
  });

  app.post("/api/token/revoke", async (c) => {
    const { token } = await jsonBody(c, tokenSchema);
    let jti: unknown;
    try {
      // Revoking needs only proof the token is ours; an expired token may still be revoked.
      if (decodeProtectedHeader(token).alg !== "RS256") throw new joseErrors.JOSEAlgNotAllowed("alg");
      const { payload } = await compactVerify(token, keys, { algorithms: ["RS256"] });
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      if (claims.iss !== ISSUER) throw new joseErrors.JWTClaimValidationFailed("unexpected iss", {}, "iss");
      jti = claims.jti;
    } catch (e) {
      throw new HttpError(400, "invalid_token", `This is not a token Core issued (${reasonOf(e)}).`);
    }
    if (typeof jti !== "string" || !(await revokeSession(deps.db, jti)))
      throw notFound("No session matches this token.");
    deps.logger.info("session revoked by its holder", { session: jti.slice(0, 8) });
    return c.json({ message: "Session revoked." });
  });
}
