import { z } from "zod";
import { HttpError } from "@hivematrix/lib/errors";
import { errorSchema, jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS, jsonContentType } from "../access.ts";
import type { Deps } from "../deps.ts";
import { controlService, restartAllApps } from "./control.ts";
import { controlParams, servicesSchema } from "./json.ts";
import { servicesWithMetrics } from "./status.ts";

const outcome = <T extends string>(value: T) => z.object({ outcome: z.literal(value), message: z.string() });

const listRoute = apiRoute({
  method: "get",
  path: "/api/services",
  access: HELM_ACCESS.admin,
  tags: ["Services"],
  summary: "Every unit of the platform: supervisor state, health, process, real listening address and traffic",
  responses: {
    200: jsonResponse("The units, the identity provider first, then services.json in its order", servicesSchema),
  },
});

const controlRoute = apiRoute({
  method: "post",
  path: "/api/services/{name}/{action}",
  access: HELM_ACCESS.adminPeople,
  tags: ["Services"],
  summary: "Start, stop or restart a service through the supervisor; a start waits for its /health",
  description:
    "Send Content-Type: application/json (the body may be empty or {}). Stopping core, nexus or helm is refused:" +
    " it would lock the admin out. Acting on nexus or helm is accepted (202) and happens just after the answer.",
  middleware: jsonContentType,
  request: {
    params: controlParams,
    body: { content: { "application/json": { schema: z.object({}) } } },
  },
  responses: {
    200: jsonResponse("Done", outcome("done")),
    202: jsonResponse("Accepted: it happens just after this answer", outcome("accepted")),
    409: jsonResponse("Refused (it would lock you out), or the supervisor could not do it", errorSchema),
  },
});

const restartAllRoute = apiRoute({
  method: "post",
  path: "/api/services/restart-all",
  access: HELM_ACCESS.adminPeople,
  tags: ["Services"],
  summary: "Restart every app in order (Core first, Nexus last), each once the one before is healthy",
  description:
    "Send Content-Type: application/json (the body may be empty or {}). The supervisor runs the sequence, so it" +
    " goes on while Helm and Nexus restart: this answers 202 at once, and GET /api/services (restart_all) shows" +
    " how far it got. Apps that are stopped stay stopped; the first app that does not come back ends the sequence.",
  middleware: jsonContentType,
  request: { body: { content: { "application/json": { schema: z.object({}) } } } },
  responses: {
    202: jsonResponse("Accepted: the supervisor is restarting the apps", outcome("accepted")),
    409: jsonResponse("A restart of every app is already under way", errorSchema),
  },
});

export function servicesApi(routes: RouteTable, deps: Deps) {
  routes.api(listRoute, async (c) => {
    const { supervisorUp, services, restartAll } = await servicesWithMetrics(deps);
    return c.json({ supervisor: supervisorUp, services, restart_all: restartAll }, 200);
  });

  routes.api(restartAllRoute, async (c) => {
    const result = await restartAllApps(deps, c.get("user")!.preferred_username, c.get("log"));
    if (result.outcome === "accepted") return c.json({ outcome: result.outcome, message: result.message }, 202);
    throw new HttpError(result.status, result.code, result.message);
  });

  routes.api(controlRoute, async (c) => {
    const { name, action } = c.req.valid("param");
    // People only (the route's rule): a service token cannot start or stop anything.
    const actor = c.get("user")!.preferred_username;
    const result = await controlService(deps, name, action, actor, c.get("log"));
    if (result.outcome === "done") return c.json({ outcome: result.outcome, message: result.message }, 200);
    if (result.outcome === "accepted") return c.json({ outcome: result.outcome, message: result.message }, 202);
    throw new HttpError(result.status, result.code, result.message);
  });
}
