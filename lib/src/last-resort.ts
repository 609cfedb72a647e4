import { errorBody, errorResponse } from "./errors.tsx";
import type { Logger } from "./log.ts";

const MESSAGE = "Something went wrong on our side; it has been logged.";

/**
 * What a server answers when its handler throws past every error handler of its own: the
 * platform's error shape, logged, never the runtime's page. Bun shows its debug page (stack,
 * source lines, working directory) for anything `fetch` throws unless the server has an
 * `error` handler, so every server in the platform uses both: `fetch` wraps the handler and
 * answers in the caller's format (JSON or a page); `error` is Bun's own hook, for anything
 * that still escapes, and can only answer JSON as Bun gives it no request.
 */
export function lastResort(logger: Pick<Logger, "error">) {
  const answer = (req: Request, e: unknown) => {
    logger.error("unhandled error", { error: e, method: req.method, path: pathOf(req.url) });
    return errorResponse(req, pathOf(req.url), 500, "internal_error", MESSAGE);
  };
  return {
    /**
     * Not an async function: a handler's answer that is ready passes on as it is, and one still
     * to come is only watched for a failure (a gateway pays for every promise on every request).
     */
    fetch<S, R extends Response | undefined>(
      handler: (req: Request, server: S) => R | Promise<R>,
    ): (req: Request, server: S) => R | Promise<R | Response> {
      return (req, server) => {
        try {
          const res = handler(req, server);
          return res instanceof Promise ? res.catch((e: unknown) => answer(req, e)) : res;
        } catch (e) {
          return answer(req, e);
        }
      };
    },
    error(e: Error): Response {
      logger.error("unhandled error", { error: e });
      return Response.json(errorBody("internal_error", MESSAGE), {
        status: 500,
        headers: { "cache-control": "no-store" },
      });
    },
  };
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const q = url.indexOf("?", start);
  return start < 0 ? "/" : url.slice(start, q < 0 ? undefined : q);
}
