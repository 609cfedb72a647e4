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
  return {
    fetch<S, R extends Response | undefined>(
      handler: (req: Request, server: S) => R | Promise<R>,
    ): (req: Request, server: S) => Promise<R | Response> {
      return async (req, server) => {
        try {
          return await handler(req, server);
        } catch (e) {
          logger.error("unhandled error", { error: e, method: req.method, path: pathOf(req.url) });
          return errorResponse(req, pathOf(req.url), 500, "internal_error", MESSAGE);
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
