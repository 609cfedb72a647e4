import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { configuration } from "./effective.ts";
import { configSchema } from "./json.ts";

const configRoute = apiRoute({
  method: "get",
  path: "/api/config",
  access: HELM_ACCESS.admin,
  tags: ["Configuration"],
  summary: "The settings in effect: services.json, the platform's, the identity provider's and each app's",
  description: "Secret values are never shown: secrets are masked, and secret files are listed by mode and length.",
  responses: {
    200: { description: "The configuration", content: { "application/json": { schema: configSchema } } },
  },
});

export function configApi(routes: RouteTable, deps: Deps) {
  routes.api(configRoute, (c) => c.json(configuration(deps.settings), 200));
}
