const BASE = "http://nexus.invalid";

/**
 * Where to send a browser after sign-in: a path on this site, or "/" for anything else.
 * Refuses scheme-relative (`//evil`), backslash (`/\evil`, which browsers read as `//`),
 * absolute and `javascript:` URLs, control characters, and any of those hidden behind
 * percent-encoding (`%2F%2Fevil`, `/%5Cevil`), however many times encoded.
 */
export function safeTarget(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return "/";
  let decoded = raw;
  for (let i = 0; i < 4; i++) {
    if (!decoded.startsWith("/") || decoded.startsWith("//") || /[\\\u0000-\u001f\u007f\s]/.test(decoded)) return "/";
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return "/";
    }
    if (next === decoded) break;
    decoded = next;
  }
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return "/";
  }
  const path = url.pathname + url.search + url.hash;
  // Dot segments can collapse into `//` (`/..//evil`), so the normalised result is checked too.
  return url.origin === BASE && !path.startsWith("//") ? path : "/";
}
