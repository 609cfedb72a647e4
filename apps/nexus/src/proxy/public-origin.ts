import type { RequestInfo } from "./request-info.ts";

/** The supervisor's and Helm's checks reach Nexus at its loopback address, whatever the public name. */
const CHECKS = new Set(["/health", "/metrics"]);

/**
 * Sends a browser that reached Nexus under another name (127.0.0.1 when the public origin is
 * localhost, a bare IP, an old host name) to the public origin, before it signs in: the IdP sets
 * its cookies and builds its form actions on that one origin only, so a sign-in started under
 * another name would post its form without them. Only a browser's page loads move (GET or HEAD
 * asking for HTML, no bearer token): API clients and writes are answered where they arrived.
 * A temporary redirect, so that browsers do not remember it past a change of NEXUS_PUBLIC_URL.
 */
export function toPublicOrigin(req: Request, info: RequestInfo): Response | null {
  if (info.origin === info.publicOrigin || CHECKS.has(info.path)) return null;
  if ((req.method !== "GET" && req.method !== "HEAD") || info.headers.authorization !== undefined) return null;
  if (!(info.headers.accept ?? "").includes("text/html")) return null;
  return new Response(null, {
    status: 307,
    headers: { location: info.publicOrigin + info.pathAndQuery, "cache-control": "no-store" },
  });
}
