import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { chatJson } from "../chat/json.ts";
import { listChats } from "../chat/data.ts";
import type { Deps } from "../deps.ts";
import { searchChats } from "./data.ts";
import { HistoryPage } from "./views.tsx";

export function historyPages(table: RouteTable, deps: Deps) {
  table.page(pageRoute({ method: "get", path: "/history", access: ACCESS.people }), async (c) => {
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const sub = c.get("user")!.sub;
    const results = q
      ? (await searchChats(deps.db, sub, q, 50)).map((h) => ({ chat: chatJson(h.chat), snippet: h.snippet }))
      : (await listChats(deps.db, sub, 50)).map((chat) => ({ chat: chatJson(chat), snippet: null }));
    return c.render(<HistoryPage q={q} results={results} />, { title: "History", section: "history" });
  });
}
