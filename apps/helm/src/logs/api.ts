import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { jsonRequest, jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { countLogs, queryLogs, storeLines } from "./data.ts";
import { fromIngest, ingestSchema, lineJson, logLineSchema } from "./json.ts";
import { cursorsOf, filterOf, logQuerySchema, PAGE_SIZE, streamQuerySchema } from "./query.ts";
import { liveTail } from "./stream.ts";

const LIVE_TAIL_JS = readFileSync(join(import.meta.dir, "../../static/live-tail.js"), "utf8");

const searchRoute = apiRoute({
  method: "get",
  path: "/api/logs",
  access: HELM_ACCESS.admin,
  tags: ["Logs"],
  summary: "Every app's log lines, newest first, filtered; pages by cursor (older, newer)",
  request: { query: logQuerySchema },
  responses: {
    200: jsonResponse(
      "One page of matching lines, with the total and the cursors of the pages around it",
      z.object({
        total: z.number().int(),
        logs: z.array(logLineSchema),
        older: z.string().nullable().meta({ description: "Pass as `before` for the next older page" }),
        newer: z.string().nullable().meta({ description: "Pass as `after` for the next newer page" }),
      }),
    ),
  },
});

const ingestRoute = apiRoute({
  method: "post",
  path: "/api/logs/ingest",
  access: HELM_ACCESS.logShipping,
  tags: ["Logs"],
  summary: "Store a batch of a service's log lines (lib's log shipper)",
  description:
    "The lines are stored under the calling service's name (its token's), never the payload's. A batch is" +
    " validated whole and stored whole, or refused with nothing stored.",
  request: { body: jsonRequest(ingestSchema) },
  responses: { 200: jsonResponse("Stored", z.object({ ingested: z.number().int() })) },
});

const streamRoute = apiRoute({
  method: "get",
  path: "/logs/stream",
  access: HELM_ACCESS.adminPeople,
  tags: ["Logs"],
  summary: "The live tail: every newly stored line that matches the filter, as server-sent events",
  description:
    "Events: `ready` once subscribed, `log` (a LogLine as JSON, its id as the event id) for each line, `skipped`" +
    " (how many lines a slow reader missed) and `busy` when too many tails are open. A reconnecting reader" +
    " sends Last-Event-ID and first receives what it missed.",
  request: {
    query: streamQuerySchema,
    headers: z.object({
      "last-event-id": z
        .string()
        .optional()
        .meta({ description: "The id of the last line received; what was stored after it comes first" }),
    }),
  },
  responses: {
    200: { description: "The stream", content: { "text/event-stream": { schema: z.string() } } },
  },
});

const scriptRoute = apiRoute({
  method: "get",
  path: "/static/live-tail.js",
  access: HELM_ACCESS.anyone,
  tags: ["Logs"],
  summary: "The live tail page's script: the only JavaScript Helm serves",
  responses: {
    200: { description: "The script", content: { "text/javascript": { schema: z.string() } } },
  },
});

export function logsApi(routes: RouteTable, deps: Deps) {
  routes.api(searchRoute, async (c) => {
    const query = c.req.valid("query");
    const filter = filterOf(query);
    const [page, total] = await Promise.all([
      queryLogs(deps.db, { ...filter, ...cursorsOf(query), limit: query.limit ?? PAGE_SIZE }),
      countLogs(deps.db, filter),
    ]);
    return c.json({ total, logs: page.rows.map(lineJson), older: page.older, newer: page.newer }, 200);
  });

  routes.api(ingestRoute, async (c) => {
    const service = c.get("service")!;
    const lines = c.req.valid("json").lines.map((line) => fromIngest(service, line));
    await storeLines(deps.db, deps.live, lines);
    return c.json({ ingested: lines.length }, 200);
  });

  routes.api(streamRoute, (c) => liveTail(c, deps, c.req.valid("query"), c.req.valid("header")["last-event-id"]));

  routes.api(scriptRoute, (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(LIVE_TAIL_JS);
  });
}
