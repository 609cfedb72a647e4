import type { Auth, UserClaims } from "@hivematrix/lib/auth";
import { HttpError } from "@hivematrix/lib/errors";
import { readCookie, SESSION_COOKIE } from "./cookies.ts";
import type { Sealer } from "./seal.ts";
import { SessionCache } from "./session-cache.ts";

/** What the session cookie holds, encrypted: the HiveMatrix JWT and the IdP's ID token (for logout). */
export interface SessionCookie {
  t: string;
  i: string | null;
}

export interface Session {
  token: string;
  /** `Bearer <token>`, as the apps are sent it: built once per session rather than once per request. */
  authorization: string;
  claims: UserClaims;
  /** The IdP ID token (cookie sessions only), sent as id_token_hint when signing out. */
  idToken: string | null;
  via: "cookie" | "bearer";
}

/** No usable session: `stale` when a cookie was sent but no longer works (clear it). */
export type NoSession = { stale: boolean };

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;
const NO_SESSION: NoSession = { stale: false };

export interface SessionsDeps {
  auth: Auth;
  sealer: Sealer;
  /** Whether Core said a session was live within the last seconds (lib's coreSessionCheck.isLive). */
  isLive: (jti: string, now: number) => boolean;
}

/**
 * Finds who is calling: `Authorization: Bearer <HiveMatrix JWT>` (API clients) or the
 * encrypted session cookie (browsers). Either way the JWT is verified against Core's keys and
 * its session is checked with Core (cached for two seconds), exactly like lib/auth does.
 * A credential already opened and verified is remembered by its text until its token expires
 * or its session is dropped, so a request whose session Core vouched for within the last
 * seconds costs one map lookup (`known`); the rest take the full path (`resolve`).
 */
export function createSessions(deps: SessionsDeps) {
  const { auth, sealer } = deps;
  const cache = new SessionCache<Session>(deps.isLive);

  async function verifyUser(token: string): Promise<UserClaims> {
    const principal = await auth.verify(token);
    if (principal.kind !== "user")
      throw new HttpError(401, "invalid_token", "Nexus accepts user tokens only; services call each other directly.");
    return principal.claims;
  }

  async function fromBearer(authorization: string): Promise<Session> {
    const m = BEARER.exec(authorization.trim());
    if (!m)
      throw new HttpError(401, "invalid_token", "Send Authorization: Bearer <HiveMatrix JWT>.", null, {
        "WWW-Authenticate": 'Bearer realm="hivematrix"',
      });
    try {
      const session: Session = {
        token: m[1]!,
        authorization: `Bearer ${m[1]!}`,
        claims: await verifyUser(m[1]!),
        idToken: null,
        via: "bearer",
      };
      cache.set(authorization, session, session.claims);
      return session;
    } catch (e) {
      cache.delete(authorization);
      throw e;
    }
  }

  async function fromCookie(sealed: string): Promise<Session | NoSession> {
    const cookie = await sealer.open<SessionCookie>(sealed, "session");
    if (!cookie) return { stale: true };
    try {
      const session: Session = {
        token: cookie.t,
        authorization: `Bearer ${cookie.t}`,
        claims: await verifyUser(cookie.t),
        idToken: cookie.i,
        via: "cookie",
      };
      cache.set(sealed, session, session.claims);
      return session;
    } catch (e) {
      // An expired or revoked session sends the browser to sign in again; Core being down does not.
      if (e instanceof HttpError && e.status === 401) {
        sealer.forget(sealed);
        cache.delete(sealed);
        return { stale: true };
      }
      throw e;
    }
  }

  return {
    /**
     * The caller's session when it needs no waiting: no credential at all, or one verified before
     * whose session Core vouched for within the last seconds. Undefined means "ask `resolve`".
     * `headers` are the request's (RequestInfo.headers).
     */
    known(headers: Readonly<Record<string, string | undefined>>, now: number): Session | NoSession | undefined {
      const authorization = headers.authorization;
      if (authorization) return cache.get(authorization, now);
      const sealed = readCookie(headers.cookie ?? null, SESSION_COOKIE);
      return sealed ? cache.get(sealed, now) : NO_SESSION;
    },

    /** The caller's session; throws HttpError for a bad bearer token or when Core cannot answer. */
    resolve(req: Request): Promise<Session | NoSession> {
      const authorization = req.headers.get("authorization");
      if (authorization) return fromBearer(authorization);
      const sealed = readCookie(req.headers.get("cookie"), SESSION_COOKIE);
      return sealed ? fromCookie(sealed) : Promise.resolve(NO_SESSION);
    },

    /** Drops every remembered credential of a session (signed out, or revoked at Core). */
    drop(jti: string): void {
      cache.dropSession(jti);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

export function isSession(s: Session | NoSession): s is Session {
  return "token" in s;
}
