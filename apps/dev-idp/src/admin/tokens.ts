import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** Keycloak's master-realm access tokens last a minute; clients sign in again when one lapses. */
export const ADMIN_TOKEN_SECONDS = 60;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/**
 * The master realm's admin and the bearer tokens its password grant hands out, kept in memory:
 * a restart signs every admin client out, which signs in again (lib/keycloak-admin does).
 */
export function createAdminTokens(admin: { username: string; password: string }) {
  const tokens = new Map<string, number>();
  return {
    /** Whether these are the admin's username and password (compared in constant time). */
    isAdmin(username: string | undefined, password: string | undefined): boolean {
      return username === admin.username && timingSafeEqual(sha256(password ?? ""), sha256(admin.password));
    },
    issue(): string {
      const now = Date.now();
      for (const [t, until] of tokens) if (until < now) tokens.delete(t);
      const token = randomBytes(32).toString("base64url");
      tokens.set(token, now + ADMIN_TOKEN_SECONDS * 1000);
      return token;
    },
    isLive(token: string): boolean {
      return (tokens.get(token) ?? 0) > Date.now();
    },
  };
}

export type AdminTokens = ReturnType<typeof createAdminTokens>;

/**
 * The admin API's guard: the admin's live bearer token. A realm user's own access token is a
 * 403, as in Keycloak; no token or any other is a 401.
 */
export function adminTokenRequired(
  tokens: AdminTokens,
  isRealmToken: (token: string) => Promise<boolean>,
): MiddlewareHandler {
  return async (c, next) => {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    if (bearer && tokens.isLive(bearer)) return next();
    if (bearer && (await isRealmToken(bearer))) return c.json({ error: "HTTP 403 Forbidden" }, 403);
    return c.json({ error: "HTTP 401 Unauthorized" }, 401);
  };
}
