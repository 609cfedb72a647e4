import type { Auth, UserClaims } from "@hivematrix/lib/auth";
import { HttpError } from "@hivematrix/lib/errors";
import { readCookie, SESSION_COOKIE } from "./cookies.ts";
import type { Sealer } from "./seal.ts";

/** What the session cookie holds, encrypted: the HiveMatrix JWT and the IdP's ID token (for logout). */
export interface SessionCookie {
  t: string;
  i: string | null;
}

export interface Session {
  token: string;
  claims: UserClaims;
  /** The IdP ID token (cookie sessions only), sent as id_token_hint when signing out. */
  idToken: string | null;
  via: "cookie" | "bearer";
}

/** No usable session: `stale` when a cookie was sent but no longer works (clear it). */
export type NoSession = { stale: boolean };

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/**
 * Finds who is calling: `Authorization: Bearer <HiveMatrix JWT>` (API clients) or the
 * encrypted session cookie (browsers). Either way the JWT is verified against Core's keys and
 * its session is checked with Core (cached for two seconds), exactly like lib/auth does.
 */
export function createSessions(auth: Auth, sealer: Sealer) {
  async function verifyUser(token: string): Promise<UserClaims> {
    const principal = await auth.verify(token);
    if (principal.kind !== "user")
      throw new HttpError(401, "invalid_token", "Nexus accepts user tokens only; services call each other directly.");
    return principal.claims;
  }

  return {
    /** The caller's session; throws HttpError for a bad bearer token or when Core cannot answer. */
    async resolve(req: Request): Promise<Session | NoSession> {
      const authorization = req.headers.get("authorization");
      if (authorization) {
        const m = BEARER.exec(authorization.trim());
        if (!m)
          throw new HttpError(401, "invalid_token", "Send Authorization: Bearer <HiveMatrix JWT>.", null, {
            "WWW-Authenticate": 'Bearer realm="hivematrix"',
          });
        return { token: m[1]!, claims: await verifyUser(m[1]!), idToken: null, via: "bearer" };
      }
      const sealed = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
      if (!sealed) return { stale: false };
      const cookie = await sealer.open<SessionCookie>(sealed, "session");
      if (!cookie) return { stale: true };
      try {
        return { token: cookie.t, claims: await verifyUser(cookie.t), idToken: cookie.i, via: "cookie" };
      } catch (e) {
        // An expired or revoked session sends the browser to sign in again; Core being down does not.
        if (e instanceof HttpError && e.status === 401) {
          sealer.forget(sealed);
          return { stale: true };
        }
        throw e;
      }
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

export function isSession(s: Session | NoSession): s is Session {
  return "token" in s;
}
