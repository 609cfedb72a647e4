const BASE = "http://nexus.invalid";
/** Targets still encoded after this many decodings are refused: no link of ours is encoded that deep. */
const MAX_DECODINGS = 4;

/**
 * Where to send a browser after sign-in: a path on this site, or "/" for anything else.
 * Refuses scheme-relative (`//evil`), backslash (`/\evil`, which browsers read as `//`),
 * absolute and `javascript:` URLs, control characters, and any of those hidden behind
 * percent-encoding (`%2F%2Fevil`, `/%5Cevil`), however many times encoded.
 */
export function safeTarget(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length > 2048) return "/";
  let decoded = raw;
  for (let decodings = 0; ; decodings++) {
    if (!decoded.startsWith("/") || decoded.startsWith("//") || /[\\\u0000-\u001f\u007f\s]/.test(decoded)) return "/";
    if (decodings === MAX_DECODINGS) return "/";
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
    // Stryker disable next-line StringLiteral: a path that passed the checks above always parses against the base
    return "/";
  }
  const path = url.pathname + url.search + url.hash;
  // Dot segments can collapse into `//` (`/..//evil`), so the normalised result is checked too.
  if (path.startsWith("//")) return "/";
  // Stryker disable next-line ConditionalExpression,StringLiteral: the checks above leave only paths on BASE (a last guard)
  return url.origin === BASE ? path : "/";
}
