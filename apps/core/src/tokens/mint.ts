import { createLocalJWKSet, SignJWT, type JWTVerifyGetKey } from "jose";
import { ISSUER, type UserClaims } from "@hivematrix/lib/auth";
import type { KeyStore } from "../keys/store.ts";
import type { SessionRow } from "../db/schema.ts";

export const USER_TOKEN_TTL_S = 3600;
export const SERVICE_TOKEN_TTL_S = 300;

async function sign(keys: KeyStore, payload: Record<string, unknown>, iat: number, exp: number): Promise<string> {
  const key = await keys.signingKey();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/** The claims of DESIGN.md's user JWT, taken from the session row (the session decides expiry). */
export function userClaimsOf(session: SessionRow): Omit<UserClaims, "iss" | "iat" | "exp"> {
  return {
    type: "user",
    sub: session.sub,
    jti: session.id,
    name: session.name,
    email: session.email,
    preferred_username: session.username,
    permission_level: session.permissionLevel,
    groups: session.groups,
    ...(session.company ? { company: session.company } : {}),
  };
}

export function mintUserToken(keys: KeyStore, session: SessionRow): Promise<string> {
  return sign(
    keys,
    userClaimsOf(session),
    Math.floor(session.createdAt.getTime() / 1000),
    Math.floor(session.expiresAt.getTime() / 1000),
  );
}

export function mintServiceToken(keys: KeyStore, caller: string, target: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return sign(
    keys,
    { type: "service", sub: `service:${caller}`, calling_service: caller, target_service: target, aud: target },
    iat,
    iat + SERVICE_TOKEN_TTL_S,
  );
}

/** Verification keys straight from the key store: Core never fetches its own JWKS. */
export function localKeys(keys: KeyStore): JWTVerifyGetKey {
  return async (header, token) => createLocalJWKSet(await keys.jwks())(header, token);
}
