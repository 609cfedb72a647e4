import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

const LOOPBACK_NAMES = /^(localhost|127\.0\.0\.1|\[::1\])$|\.localhost$/;

/**
 * Whether Keycloak counts a public URL a secure context (its secure-context resolver):
 * https, or a loopback name, which browsers treat as secure even over plain http.
 */
export function isSecureContext(origin: string | null): boolean {
  if (!origin) return false;
  const url = new URL(origin);
  return url.protocol === "https:" || LOOPBACK_NAMES.test(url.hostname);
}

/**
 * One Set-Cookie with the attributes Keycloak 26 gives its session cookies (AUTH_SESSION_ID,
 * KEYCLOAK_IDENTITY, KEYCLOAK_SESSION) for the same public URL: `SameSite=None; Secure` in a
 * secure context (so `Secure` even on http://localhost), `SameSite=Lax` without `Secure`
 * otherwise. The dev IdP sends them so, so that a gateway that passes them on unfit for the
 * browser's scheme fails here as it would with Keycloak.
 */
export function keycloakShapedCookie(header: string, secureContext: boolean): string {
  const parts = header.split(";").map((part) => part.trim());
  const kept = parts.filter((part, i) => i === 0 || (part && !/^(samesite|secure)\s*(=|$)/i.test(part)));
  return [...kept, ...(secureContext ? ["SameSite=None", "Secure"] : ["SameSite=Lax"])].join("; ");
}

function reshape(value: unknown, secureContext: boolean): unknown {
  if (typeof value === "string") return keycloakShapedCookie(value, secureContext);
  if (Array.isArray(value)) return value.map((one) => keycloakShapedCookie(String(one), secureContext));
  return value;
}

/**
 * Every cookie a response sets, oidc-provider's (through setHeader) and the Hono pages' (through
 * writeHead's headers), leaves in Keycloak's shape.
 */
export function sendKeycloakShapedCookies(res: ServerResponse, secureContext: boolean): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) =>
    setHeader(name, name.toLowerCase() === "set-cookie" ? (reshape(value, secureContext) as typeof value) : value);
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((arg, i) => i > 0 && arg && typeof arg === "object" && !Array.isArray(arg));
    if (headers) {
      const record = headers as OutgoingHttpHeaders;
      for (const key of Object.keys(record))
        if (key.toLowerCase() === "set-cookie") record[key] = reshape(record[key], secureContext) as string[];
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
}
