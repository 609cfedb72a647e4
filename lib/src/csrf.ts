import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { HttpError } from "./errors.tsx";

/**
 * CSRF protection for server-rendered forms: the token is an HMAC of the session id (the JWT's
 * `jti`) under this app's secret, so it needs no storage and dies with the session.
 */
export function createCsrf(secret: string) {
  const tokenFor = (sessionId: string) => createHmac("sha256", secret).update(`csrf:${sessionId}`).digest("base64url");

  /** The token for this request's session, for a form's hidden `_csrf` field. */
  const token = (c: Context): string => {
    const user = c.get("user") as { jti: string } | null;
    if (!user) throw new HttpError(401, "unauthorized", "Sign in first.");
    return tokenFor(user.jti);
  };

  const verify = (c: Context, submitted: string | undefined) => {
    const expected = Buffer.from(token(c));
    // Stryker disable next-line StringLiteral: a missing token is refused whatever stands in for it
    const got = Buffer.from(submitted ?? "");
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new HttpError(
        403,
        "csrf_failed",
        "This form has expired or did not come from this site. Reload the page and try again.",
      );
    }
  };

  /**
   * Refuses a state-changing request without the right token, sent as the form field `_csrf`
   * or the X-CSRF-Token header. Mount on page routes after auth (JSON APIs rely on their
   * JSON content type and Nexus's same-origin check instead).
   */
  const protect: MiddlewareHandler = async (c, next) => {
    if (!["GET", "HEAD", "OPTIONS"].includes(c.req.method) && !c.get("isServiceCall")) {
      let submitted = c.req.header("x-csrf-token");
      if (!submitted) {
        // Hono reads only urlencoded and multipart bodies here; any other body ({}) carries no token.
        const body = await c.req.parseBody();
        submitted = typeof body._csrf === "string" ? body._csrf : undefined;
      }
      verify(c, submitted);
    }
    await next();
  };

  return { token, protect, verify };
}

export type Csrf = ReturnType<typeof createCsrf>;
