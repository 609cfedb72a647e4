import type { Server } from "bun";

/** What Nexus works out once per request and every handler needs. */
export interface RequestInfo {
  /** Path without the query, e.g. `/codex/companies`. */
  path: string;
  pathAndQuery: string;
  host: string;
  /** This request's own origin (`http://localhost:8000`), for the same-origin check. */
  origin: string;
  /** The origin sign-in returns to: `origin` when it is a registered one, else NEXUS_PUBLIC_URL's. */
  publicOrigin: string;
  secure: boolean;
  clientIp: string;
  requestId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestInfo(
  req: Request,
  server: Server<unknown>,
  secure: boolean,
  origins: string[],
  defaultOrigin: string,
): RequestInfo {
  const url = req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const pathAndQuery = start < 0 ? "/" : url.slice(start);
  const q = pathAndQuery.indexOf("?");
  const host = req.headers.get("host") ?? "";
  const origin = `${secure ? "https" : "http"}://${host}`;
  const incoming = req.headers.get("x-request-id");
  return {
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    pathAndQuery,
    host,
    origin,
    publicOrigin: origins.includes(origin) ? origin : defaultOrigin,
    secure,
    clientIp: server.requestIP(req)?.address ?? "",
    requestId: incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID(),
  };
}
