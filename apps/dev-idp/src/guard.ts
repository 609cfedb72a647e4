import type { IncomingMessage, ServerResponse } from "node:http";
import { errorResponse } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The dev IdP's last resort (it serves through node:http, for oidc-provider): a listener that
 * throws, at once or later, is answered with the platform's error shape and logged, instead of
 * an uncaught exception that would take the process down.
 */
export function guardListener(listener: Listener, logger: Pick<Logger, "error">): Listener {
  return (req, res) => {
    const fail = async (e: unknown) => {
      logger.error("unhandled error", { error: e, method: req.method, path: (req.url ?? "/").split("?")[0] });
      if (res.headersSent) return void res.destroy();
      const path = (req.url ?? "/").split("?")[0]!;
      const answer = await errorResponse(
        new Request(`http://dev-idp${path}`, { headers: { accept: req.headers.accept ?? "" } }),
        path,
        500,
        "internal_error",
        "Something went wrong on our side; it has been logged.",
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    };
    try {
      const running = listener(req, res);
      if (running) running.catch(fail);
    } catch (e) {
      void fail(e);
    }
  };
}
