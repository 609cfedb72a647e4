import type { Context } from "hono";
import type { Server } from "bun";

/** What Nexus works out once per request and every handler needs. */
export interface RequestInfo {
  /** Path without the query, e.g. `/codex/companies`. */
  path: string;
  pathAndQuery: string;
  /** This request's own origin (`http://localhost:8000`), for the same-origin check only: never put in a URL. */
  origin: string;
  /** The one configured origin every absolute URL and X-Forwarded-Host is built from; never a request header. */
  publicOrigin: string;
  /** `publicOrigin`'s host, for X-Forwarded-Host. */
  publicHost: string;
  secure: boolean;
  clientIp: string;
  requestId: string;
  /**
   * The request's headers as they arrived, names in lower case, read in one call: the hot path
   * looks at several, and each Headers.get is a call into native code.
   */
  headers: Readonly<Record<string, string | undefined>>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Works out each request's RequestInfo; what is the same for every request is worked out once. */
export function requestInfoOf(publicOrigin: string) {
  const publicHost = publicOrigin.slice(publicOrigin.indexOf("//") + 2);
  return (req: Request, server: Server<unknown>, secure: boolean): RequestInfo => {
    const url = req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const pathAndQuery = start < 0 ? "/" : url.slice(start);
    const q = pathAndQuery.indexOf("?");
    const headers = req.headers.toJSON();
    const incoming = headers["x-request-id"];
    return {
      path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
      pathAndQuery,
      origin: `${secure ? "https" : "http"}://${headers.host ?? ""}`,
      publicOrigin,
      publicHost,
      secure,
      clientIp: server.requestIP(req)?.address ?? "",
      requestId: incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID(),
      headers,
    };
  };
}

/** Nexus hands each request's RequestInfo to its own Hono routes as the fetch environment. */
export interface NexusBindings {
  info: RequestInfo;
}

export function infoOf(c: Context): RequestInfo {
  return (c.env as NexusBindings).info;
}
