import { z } from "zod";
import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import { chatJson, chatSchema } from "../chat/json.ts";
import type { Deps } from "../deps.ts";
import { searchChats } from "./data.ts";

export const historyQuery = z
  .object({ q: z.string().trim().min(1).max(200), limit: z.coerce.number().int().min(1).max(100).optional() })
  .strict();

const searchRoute = apiRoute({
  method: "get",
  path: "/api/history",
  access: ACCESS.people,
  tags: ["Chats"],
  summary: "Search my chats: titles and messages, every word as a prefix, newest first",
  request: { query: historyQuery },
  responses: {
    200: jsonResponse(
      "Matching chats, with the newest matching message",
      z.object({ results: z.array(z.object({ chat: chatSchema, snippet: z.string().nullable() })) }),
    ),
  },
});

export function historyApi(table: RouteTable, deps: Deps) {
  table.api(searchRoute, async (c) => {
    const query = c.req.valid("query");
    const hits = await searchChats(deps.db, c.get("user")!.sub, query.q, query.limit ?? 50);
    return c.json({ results: hits.map((hit) => ({ chat: chatJson(hit.chat), snippet: hit.snippet })) }, 200);
  });
}
