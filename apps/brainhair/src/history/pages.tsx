import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { chatJson } from "../chat/json.ts";
import { listChats } from "../chat/data.ts";
import type { Deps } from "../deps.ts";
import { searchChats } from "./data.ts";
import { HistoryPage } from "./views.tsx";

export function historyPages(table: RouteTable, deps: Deps) {
  table.page(pageRoute({ method: "get", path: "/history", access: ACCESS.people }), async (c) => {
    const search = (c.req.query("q") ?? "").trim().slice(0, 200);
    const sub = c.get("user")!.sub;
    const results = search
      ? (await searchChats(deps.db, sub, search, 50)).map((hit) => ({ chat: chatJson(hit.chat), snippet: hit.snippet }))
      : (await listChats(deps.db, sub, 50)).map((chat) => ({ chat: chatJson(chat), snippet: null }));
    return c.render(<HistoryPage search={search} results={results} />, { title: "History", section: "history" });
  });
}
