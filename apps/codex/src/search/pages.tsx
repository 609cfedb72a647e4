import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { globalSearch } from "./data.ts";
import { searchQuery } from "./json.ts";
import { SearchPage } from "./views.tsx";

export function searchPages(routes: RouteTable, deps: Deps) {
  routes.page(pageRoute({ method: "get", path: "/search", access: PAGES.readWithClientScope }), async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    if (!q) return c.render(<SearchPage q="" result={null} />, { title: "Search", section: "search" });
    const parsed = searchQuery.safeParse({ q, limit: "20" });
    if (!parsed.success) {
      c.status(422);
      return c.render(<SearchPage q={q.slice(0, 200)} result={null} error={parsed.error.issues[0]!.message} />, {
        title: `Search: ${q.slice(0, 200)}`,
        section: "search",
      });
    }
    const result = await globalSearch(deps.db, parsed.data, await scopeCompanyId(c, deps));
    return c.render(<SearchPage q={q} result={result} />, { title: `Search: ${q}`, section: "search" });
  });
}
