import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { followQuery, outputParams, outputQuery, outputSchema } from "./json.ts";
import { followOutput, outputSnapshot } from "./stream.ts";

const RAW_OUTPUT_JS = readFileSync(join(import.meta.dir, "../../static/raw-output.js"), "utf8");

const snapshotRoute = apiRoute({
  method: "get",
  path: "/api/services/{name}/output",
  access: HELM_ACCESS.admin,
  tags: ["Services"],
  summary: "A service's raw output: the last lines it printed, as the supervisor's log file keeps them",
  description:
    "What a crash printed (a stack trace, a configuration error) is here even when it never reached Helm's logs.",
  request: { params: outputParams, query: outputQuery },
  responses: { 200: jsonResponse("The lines, oldest first", outputSchema) },
});

const followRoute = apiRoute({
  method: "get",
  path: "/services/{name}/output/stream",
  access: HELM_ACCESS.adminPeople,
  tags: ["Services"],
  summary: "A service's raw output, live: each new batch of lines as server-sent events",
  description:
    "Events: `ready`, then `lines` (a JSON array of strings; its id is where the file then ends, which a" +
    " reconnecting reader sends back as Last-Event-ID), and `busy` when too many live views are open.",
  request: {
    params: outputParams,
    query: followQuery,
    headers: z.object({
      "last-event-id": z.string().optional().meta({ description: "The id of the last batch received" }),
    }),
  },
  responses: { 200: { description: "The stream", content: { "text/event-stream": { schema: z.string() } } } },
});

const scriptRoute = apiRoute({
  method: "get",
  path: "/static/raw-output.js",
  access: HELM_ACCESS.anyone,
  tags: ["Services"],
  summary: "The raw output page's script: appends the lines the stream sends",
  responses: { 200: { description: "The script", content: { "text/javascript": { schema: z.string() } } } },
});

export function outputApi(routes: RouteTable, deps: Deps) {
  routes.api(snapshotRoute, (c) =>
    c.json(outputSnapshot(deps, c.req.valid("param").name, c.req.valid("query").lines), 200),
  );

  routes.api(followRoute, (c) => {
    const resumed = followQuery.shape.from.safeParse(c.req.valid("header")["last-event-id"] || undefined);
    const from = (resumed.success ? resumed.data : undefined) ?? c.req.valid("query").from ?? null;
    return followOutput(c, deps, c.req.valid("param").name, from);
  });

  routes.api(scriptRoute, (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(RAW_OUTPUT_JS);
  });
}
