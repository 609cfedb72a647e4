import type { AppConfig } from "@hivematrix/lib/config";
import type { Logger } from "@hivematrix/lib/log";
import { foreignCookies } from "../sessions/cookies.ts";
import { errorResponse } from "@hivematrix/lib/errors";
import { contentSecurityPolicy } from "@hivematrix/lib/security-headers";
import { CREDENTIAL_HEADERS, HOP_HEADERS } from "./hop-headers.ts";
import type { RequestInfo } from "./request-info.ts";

export const IDP_PREFIX = "/keycloak";

/**
 * The realm's browser endpoints only: sign-in, sign-out and the login pages with their static
 * files. The admin console, admin API, master realm, token, userinfo and every other endpoint
 * stay unreachable from outside (Nexus and Core use them on the back channel).
 */
export function idpPathAllowed(path: string, realm: string): boolean {
  const rest = path.slice(IDP_PREFIX.length);
  if (/\/\.|%2e|%2f|%5c|\\/i.test(rest)) return false;
  const realmBase = `/realms/${realm}`;
  if (rest.startsWith(`${realmBase}/`)) {
    const sub = rest.slice(realmBase.length);
    return (
      /^\/protocol\/openid-connect\/(auth|logout)(\/[A-Za-z0-9_-]+)*$/.test(sub) ||
      /^\/login-actions\/[A-Za-z0-9_/-]+$/.test(sub)
    );
  }
  return /^\/resources\/[A-Za-z0-9._/-]+$/.test(rest);
}

const DROP_REQUEST = [...HOP_HEADERS, ...CREDENTIAL_HEADERS];

const SAME_SITE = { none: "None", lax: "Lax", strict: "Strict" } as const;
/** Attributes set anew for Nexus's origin and the browser's scheme; the rest (Max-Age, HttpOnly…) pass. */
const REWRITTEN = new Set(["path", "domain", "secure", "samesite", "partitioned"]);

/**
 * An IdP cookie made valid for the scheme the browser is on: under /keycloak on Nexus's origin,
 * never with a Domain. Keycloak marks its session cookies `Secure; SameSite=None` whenever its
 * public URL is a secure context (https or localhost, even over plain http); on http the
 * browser would drop `Secure`'s cookie, and Chromium rejects `SameSite=None` without `Secure`,
 * so there they become `SameSite=Lax` (enough: the IdP's pages are on Nexus's own origin).
 */
export function rewriteIdpCookie(header: string, secure: boolean): string {
  const [pair, ...parts] = header.split(";").map((part) => part.trim());
  const attributes = new Map<string, string>();
  const kept: string[] = [];
  for (const part of parts) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (REWRITTEN.has(name)) attributes.set(name, eq < 0 ? "" : part.slice(eq + 1).trim());
    else if (part) kept.push(part);
  }
  const path = attributes.get("path") || "/";
  const under =
    path.startsWith(`${IDP_PREFIX}/`) || path === IDP_PREFIX ? path : `${IDP_PREFIX}${path === "/" ? "" : path}`;
  const asked = SAME_SITE[(attributes.get("samesite") ?? "").toLowerCase() as keyof typeof SAME_SITE] ?? "Lax";
  const sameSite = asked === "None" && !secure ? "Lax" : asked;
  const secureOnly = secure ? ["Secure", ...(attributes.has("partitioned") ? ["Partitioned"] : [])] : [];
  return [pair, `Path=${under}`, ...kept, `SameSite=${sameSite}`, ...secureOnly].join("; ");
}

export function createIdpProxy(config: AppConfig, logger: Logger) {
  const backend = config.idp.url;

  return async function idpProxy(req: Request, info: RequestInfo): Promise<Response> {
    if (!idpPathAllowed(info.path, config.idp.realm) || !["GET", "HEAD", "POST"].includes(req.method)) {
      return errorResponse(req, info.path, 404, "not_found", `Nothing at ${info.path}.`);
    }
    const headers = new Headers(req.headers);
    for (const name of DROP_REQUEST) headers.delete(name);
    const cookies = foreignCookies(req.headers.get("cookie"));
    if (cookies) headers.set("cookie", cookies);
    else headers.delete("cookie");
    headers.set("accept-encoding", "identity");
    headers.set("x-forwarded-for", info.clientIp);
    headers.set("x-forwarded-proto", info.secure ? "https" : "http");
    headers.set("x-forwarded-host", info.publicHost);
    headers.set("x-forwarded-prefix", IDP_PREFIX);
    headers.set("x-request-id", info.requestId);
    let res: Response;
    try {
      res = await fetch(backend + info.pathAndQuery.slice(IDP_PREFIX.length), {
        method: req.method,
        headers,
        body: req.body,
        redirect: "manual",
        decompress: false,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      logger.warn("identity provider unreachable", { error: (e as Error).message, request_id: info.requestId });
      return errorResponse(
        req,
        info.path,
        502,
        "idp_unavailable",
        "The sign-in service is not reachable right now. Try again in a moment.",
      );
    }
    const out = new Headers(res.headers);
    for (const name of ["connection", "keep-alive", "transfer-encoding", "set-cookie"]) out.delete(name);
    for (const c of res.headers.getSetCookie()) out.append("set-cookie", rewriteIdpCookie(c, info.secure));
    // The IdP's pages are served on Nexus's origin: the apps' protections hold there too, whatever the IdP sends.
    const csp = out.get("content-security-policy");
    if (!csp) out.set("content-security-policy", contentSecurityPolicy());
    else if (!/frame-ancestors 'none'/.test(csp)) out.append("content-security-policy", "frame-ancestors 'none'");
    out.set("x-content-type-options", "nosniff");
    const location = out.get("location");
    if (location?.startsWith(backend))
      out.set("location", `${info.publicOrigin}${IDP_PREFIX}${location.slice(backend.length)}`);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: out });
  };
}
