import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Layout } from "./ui/layout.tsx";
import { Alert } from "./ui/alert.tsx";
import { Button } from "./ui/button.tsx";

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** Thrown anywhere in a request; onError turns it into JSON or an HTML page. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: unknown = null) =>
  new HttpError(400, "bad_request", message, details);
export const validationFailed = (details: unknown, message = "The request is invalid.") =>
  new HttpError(422, "validation_failed", message, details);
export const unauthorized = (message = "Authentication is required.") =>
  new HttpError(401, "unauthorized", message, null, { "WWW-Authenticate": 'Bearer realm="hivematrix"' });
export const forbidden = (message = "You do not have permission to do this.") =>
  new HttpError(403, "forbidden", message);
export const notFound = (message = "Not found.") => new HttpError(404, "not_found", message);
export const conflict = (message: string, details: unknown = null) => new HttpError(409, "conflict", message, details);

export function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}

/**
 * Whether to answer a request's error with JSON or a page: JSON for any path under `/api/` and
 * for every client that does not ask for HTML (API clients, fetch, EventSource, curl); a page
 * for browsers. Hono's handlers and Nexus's proxy (outside Hono) both decide by this one rule.
 */
export function wantsJson(req: Request, path: string = new URL(req.url).pathname): boolean {
  if (path.includes("/api/")) return true;
  return !(req.headers.get("accept") ?? "").includes("text/html");
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Sign-in required",
  403: "Not allowed",
  404: "Page not found",
  409: "Conflict",
  413: "Too large",
  422: "Check the form",
  429: "Slow down",
  500: "Something went wrong",
  502: "Service unavailable",
  503: "Service unavailable",
  504: "Service timed out",
};

export function ErrorPage({ status, message, home = "/" }: { status: number; message: string; home?: string }) {
  const title = TITLES[status] ?? "Error";
  return (
    <Layout title={title} home={home}>
      <div class="page-header">
        <h1 class="page-header__title">{title}</h1>
      </div>
      <Alert variant="error" title={`Error ${status}`}>
        {message}
      </Alert>
      <p>
        <Button href={home} label="Back to the start" variant="secondary" />
      </p>
    </Layout>
  );
}

/** The platform's error shape for a request outside Hono: JSON for APIs, a page for browsers. */
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

export function respondError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details: unknown = null,
  headers: Record<string, string> = {},
) {
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  if (wantsJson(c.req.raw, c.req.path)) return c.json(errorBody(code, message, details), status);
  const prefix = c.req.header("x-forwarded-prefix");
  return c.html(
    <ErrorPage status={status} message={message} home={prefix && /^\/[a-z0-9-]+$/.test(prefix) ? `${prefix}/` : "/"} />,
    status,
  );
}
