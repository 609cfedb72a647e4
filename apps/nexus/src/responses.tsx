import { ErrorPage, errorBody } from "@hivematrix/lib/errors";

/** Whether a request (outside Hono) wants JSON: APIs, and clients that do not ask for HTML. */
export function wantsJson(req: Request, path: string): boolean {
  if (path.includes("/api/")) return true;
  const accept = req.headers.get("accept") ?? "";
  return !accept.includes("text/html");
}

/** The platform's error shape: JSON for APIs, a page for browsers (Nexus adds global.css to it). */
export async function errorResponse(
  req: Request,
  path: string,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  if (wantsJson(req, path))
    return Response.json(errorBody(code, message), { status, headers: { "cache-control": "no-store", ...headers } });
  const html = await Promise.resolve(String(<ErrorPage status={status} message={message} />));
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=UTF-8", "cache-control": "no-store", ...headers },
  });
}

/** Cross-site state-changing requests are refused (CSRF): Sec-Fetch-Site, else Origin, must be this site. */
export function isCrossSite(req: Request, origin: string): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const from = req.headers.get("origin");
  return from !== null && from !== origin;
}
