import type { MiddlewareHandler } from "hono";
import { access } from "@hivematrix/lib/access";
import { HttpError } from "@hivematrix/lib/errors";

/** Who may call Helm's routes: operations are for admins; every route names one of these. */
export const HELM_ACCESS = {
  /** The live tail's script, like any static asset. */
  anyone: access.public("public"),
  /** Log ingestion: lib's log shipper in every process, with its service token. */
  logShipping: access.services("log-shipping"),
  /** Reading state (services, logs, the audit, configuration): admins, and service tokens. */
  admin: access.callers("admin", ["admin"]),
  /**
   * Acting on people's behalf (starting and stopping services, managing users, the live tail)
   * and every page: signed-in admins only, never a service token.
   */
  adminPeople: access.people("admin-people", ["admin"]),
};

/**
 * State-changing JSON APIs whose body may be left out still need a JSON content type: a
 * cross-site form cannot send one, so a browser's cookie (through Nexus) cannot be used to call
 * them from another site. Routes with a required body get this from lib's route table.
 */
export const jsonContentType: MiddlewareHandler = async (c, next) => {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? ""))
    throw new HttpError(
      415,
      "unsupported_media_type",
      "Send Content-Type: application/json (the body may be empty or {}).",
    );
  await next();
};
