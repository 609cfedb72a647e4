import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { jsonAnswer } from "../shared/route-schemas.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { globalSearch } from "./data.ts";
import { searchQuery, searchResultSchema } from "./json.ts";

const searchRoute = apiRoute({
  method: "get",
  path: "/api/search",
  access: ACCESS.readWithClientScope,
  tags: ["Search"],
  summary: "Search companies, contacts, assets and tickets",
  request: { query: searchQuery },
  responses: { 200: jsonAnswer(searchResultSchema, "The newest matches of each kind") },
});

export function searchApi(routes: RouteTable, deps: Deps) {
  routes.api(searchRoute, async (c) =>
    c.json(await globalSearch(deps.db, c.req.valid("query"), await scopeCompanyId(c, deps)), 200),
  );
}
