/** Cross-site state-changing requests are refused (CSRF): Sec-Fetch-Site, else Origin, must be this site. */
export function isCrossSite(req: Request, origin: string): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const site = req.headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const from = req.headers.get("origin");
  return from !== null && from !== origin;
}
