/** Cookie names Nexus owns; they are never forwarded to apps or to the identity provider. */
export const SESSION_COOKIE = "hm_session";
export const LOGIN_COOKIE = "hm_login";
export const THEME_COOKIE = "hm_theme";
const OWN = [SESSION_COOKIE, LOGIN_COOKIE, THEME_COOKIE];

/** One cookie's value from a Cookie header, without parsing the rest (this runs per request). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at < 0) return null;
    const before = at === 0 ? " " : header[at - 1];
    if ((before === " " || before === ";") && header[at + name.length] === "=") {
      const start = at + name.length + 1;
      const end = header.indexOf(";", start);
      return header.slice(start, end < 0 ? undefined : end).trim() || null;
    }
    from = at + name.length;
  }
}

/** The Cookie header without Nexus's own cookies (for the identity provider), or null if nothing is left. */
export function foreignCookies(header: string | null): string | null {
  if (!header) return null;
  const kept = header
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p && !OWN.includes(p.slice(0, p.indexOf("=")).trim()));
  return kept.length ? kept.join("; ") : null;
}

export interface CookieOptions {
  maxAge: number;
  path?: string;
  secure: boolean;
  httpOnly?: boolean;
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${o.path ?? "/"}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAge))}`,
    o.httpOnly === false ? "" : "HttpOnly",
    "SameSite=Lax",
    o.secure ? "Secure" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

export function clearCookie(name: string, secure: boolean, path = "/"): string {
  return serializeCookie(name, "", { maxAge: 0, path, secure });
}
