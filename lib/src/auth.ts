import type { Context, MiddlewareHandler } from "hono";
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { PERMISSION_LEVELS, type PermissionLevel } from "./config.ts";
import { forbidden, HttpError } from "./errors.tsx";
import { failoverFetch } from "./instances.ts";
import { coreUnavailable } from "./session-check.ts";

export { type CoreSessionCheck, coreSessionCheck, coreUnavailable } from "./session-check.ts";

export const ISSUER = "hivematrix.core";

export const userClaimsSchema = z.object({
  iss: z.literal(ISSUER),
  type: z.literal("user"),
  sub: z.string().min(1),
  jti: z.string().min(1),
  name: z.string(),
  email: z.string(),
  preferred_username: z.string().min(1),
  permission_level: z.enum(PERMISSION_LEVELS),
  groups: z.array(z.string()),
  company: z.string().min(1).optional(),
  iat: z.number(),
  exp: z.number(),
});
export type UserClaims = z.infer<typeof userClaimsSchema>;

export const serviceClaimsSchema = z.object({
  iss: z.literal(ISSUER),
  type: z.literal("service"),
  sub: z.string().startsWith("service:"),
  calling_service: z.string().min(1),
  target_service: z.string().min(1),
  aud: z.string().min(1),
  iat: z.number(),
  exp: z.number(),
});
export type ServiceClaims = z.infer<typeof serviceClaimsSchema>;

export type Principal = { kind: "user"; claims: UserClaims } | { kind: "service"; claims: ServiceClaims };

/** Answers whether the session behind a user token is still live (not revoked, not expired). */
export type SessionCheck = (
  token: string,
  claims: UserClaims,
) => Promise<{ valid: true } | { valid: false; error: string }>;

export interface AuthOptions {
  /** This app's name: service tokens must carry it as `aud`. */
  audience: string;
  /** Core's signing keys; usually `remoteJwks(coreUrl)`. */
  keys: JWTVerifyGetKey;
  sessionCheck: SessionCheck;
  /**
   * Remembers tokens whose signature and claims already verified (keyed by the token string,
   * until it expires), so a busy gateway does not re-run RSA per request. The session check
   * still runs every time.
   */
  verifiedTokens?: VerifiedTokenCache;
}

/** A bounded map of token → its checked claims; the oldest entry goes first when full. */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Principal>();
  constructor(private readonly maxEntries = 10_000) {}

  get(token: string): Principal | undefined {
    return this.entries.get(token);
  }

  set(token: string, principal: Principal): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, principal);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }
}

/** A token's refusal as a 401; anything that is not about the token (Core unreachable: a 503) is thrown as it is. */
function tokenError(e: unknown): HttpError {
  const h = { "WWW-Authenticate": 'Bearer realm="hivematrix", error="invalid_token"' };
  if (e instanceof joseErrors.JWTExpired) return new HttpError(401, "token_expired", "The token has expired.", null, h);
  if (e instanceof joseErrors.JWKSNoMatchingKey)
    return new HttpError(401, "invalid_token", "The token was signed by an unknown key.", null, h);
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return new HttpError(401, "invalid_token", "The token's algorithm is not allowed.", null, h);
  if (e instanceof joseErrors.JWTClaimValidationFailed)
    return new HttpError(401, "invalid_token", `The token's ${e.claim} claim is not acceptable.`, null, h);
  // Stryker disable next-line ConditionalExpression: jose raises only its own errors about a token
  if (e instanceof joseErrors.JOSEError) return new HttpError(401, "invalid_token", "The token is invalid.", null, h);
  throw e;
}

/** Signature, issuer, expiry and claim shape (audience for service tokens): everything but the session. */
async function verifySignedClaims(token: string, options: AuthOptions): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, options.keys, {
      issuer: ISSUER,
      algorithms: ["RS256"],
      requiredClaims: ["exp", "iat"],
    }));
  } catch (e) {
    throw tokenError(e);
  }
  if (payload.type === "service") {
    const parsed = serviceClaimsSchema.safeParse(payload);
    if (!parsed.success) throw new HttpError(401, "invalid_token", "The service token is malformed.");
    if (parsed.data.aud !== options.audience || parsed.data.target_service !== options.audience) {
      throw new HttpError(
        401,
        "invalid_token",
        `This service token is for ${parsed.data.aud}, not ${options.audience}.`,
      );
    }
    return { kind: "service", claims: parsed.data };
  }
  if (payload.type === "user") {
    const parsed = userClaimsSchema.safeParse(payload);
    if (!parsed.success) throw new HttpError(401, "invalid_token", "The user token is malformed.");
    if ("aud" in payload) throw new HttpError(401, "invalid_token", "A user token carries no audience.");
    return { kind: "user", claims: parsed.data };
  }
  throw new HttpError(401, "invalid_token", "The token has no known type.");
}

/** Verifies a HiveMatrix JWT: RS256 only, issuer, expiry, audience for service tokens, session for user tokens. */
export async function verifyToken(token: string, options: AuthOptions): Promise<Principal> {
  let principal = options.verifiedTokens?.get(token);
  if (principal && principal.claims.exp * 1000 <= Date.now()) {
    options.verifiedTokens!.delete(token);
    throw new HttpError(401, "token_expired", "The token has expired.", null, {
      "WWW-Authenticate": 'Bearer realm="hivematrix", error="invalid_token"',
    });
  }
  if (!principal) {
    principal = await verifySignedClaims(token, options);
    options.verifiedTokens?.set(token, principal);
  }
  if (principal.kind === "user") {
    const session = await options.sessionCheck(token, principal.claims);
    if (!session.valid)
      throw new HttpError(401, "session_invalid", `The session is no longer valid (${session.error}).`);
  }
  return principal;
}

/** Errors the key lookup raises because of the token itself; anything else means the keys could not be had. */
const TOKEN_KEY_ERRORS = [
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
  joseErrors.JOSENotSupported,
];

/**
 * Core's JWKS, cached; fetched again when a token names an unknown `kid` (at most once a second).
 * A failure to fetch them (Core down, a timeout, a bad answer) is a 503, never taken for a bad token.
 */
export function remoteJwks(core: string | readonly string[]): JWTVerifyGetKey {
  const coreUrls = typeof core === "string" ? [core] : core;
  const jwks = createRemoteJWKSet(new URL("/.well-known/jwks.json", coreUrls[0]), {
    // Every Core instance serves the same keys (they are in its database).
    ...(coreUrls.length > 1 ? { [customFetch]: failoverFetch(coreUrls) } : {}),
    cooldownDuration: 1_000,
    // Stryker disable next-line ArithmeticOperator: how long keys are kept only saves fetches
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (e) {
      if (TOKEN_KEY_ERRORS.some((kind) => e instanceof kind)) throw e;
      throw coreUnavailable("cannot be reached for its signing keys");
    }
  };
}

export function bearerToken(c: Context): string | null {
  const header = c.req.header("authorization");
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header.trim());
  return m ? m[1]! : null;
}

export function createAuth(options: AuthOptions) {
  const authenticate: MiddlewareHandler = async (c, next) => {
    const token = bearerToken(c);
    if (!token) {
      throw new HttpError(
        401,
        "unauthorized",
        "Authentication is required: send Authorization: Bearer <token>.",
        null,
        {
          "WWW-Authenticate": 'Bearer realm="hivematrix"',
        },
      );
    }
    const principal = await verifyToken(token, options);
    c.set("token", token);
    c.set("user", principal.kind === "user" ? principal.claims : null);
    c.set("service", principal.kind === "service" ? principal.claims.calling_service : null);
    c.set("isServiceCall", principal.kind === "service");
    await next();
  };

  /** Any valid user or service token. */
  const tokenRequired = authenticate;

  /** A signed-in person (of one of `levels`, when given): pages refuse service calls. */
  const requireUser =
    (...levels: PermissionLevel[]): MiddlewareHandler =>
    async (c, next) =>
      authenticate(c, async () => {
        const user = c.get("user") as UserClaims | null;
        if (!user) throw forbidden("This page is for signed-in users, not services.");
        if (levels.length && !levels.includes(user.permission_level)) {
          throw forbidden(`This needs the ${levels.join(" or ")} permission level; you are ${user.permission_level}.`);
        }
        await next();
      });

  /** A user of one of these levels, or a service call (services pass user-level checks). */
  const requirePermission =
    (...levels: PermissionLevel[]): MiddlewareHandler =>
    async (c, next) =>
      authenticate(c, async () => {
        const user = c.get("user") as UserClaims | null;
        if (user && !levels.includes(user.permission_level)) {
          throw forbidden(`This needs the ${levels.join(" or ")} permission level; you are ${user.permission_level}.`);
        }
        await next();
      });

  return {
    tokenRequired,
    userRequired: requireUser(),
    requireUser,
    requirePermission,
    adminRequired: requirePermission("admin"),
    verify: (token: string) => verifyToken(token, options),
  };
}

export type Auth = ReturnType<typeof createAuth>;

/** Maps IdP groups to a permission level: first match wins, anything else is `client`. */
export function permissionLevelFor(groups: readonly string[]): PermissionLevel {
  const names = new Set(groups.map((g) => g.replace(/^\/+/, "")));
  if (names.has("admins")) return "admin";
  if (names.has("technicians")) return "technician";
  if (names.has("billing")) return "billing";
  return "client";
}
