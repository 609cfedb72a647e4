import { z } from "zod";
import { HttpError } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { errorAnswer, jsonAnswer } from "../shared/route-schemas.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { actorOf } from "../shared/request.ts";
import { exportCsv, importCsv } from "./data.ts";
import { CSV_KINDS, importResultSchema } from "./json.ts";

const csvText = { "text/csv": { schema: z.string() } };

const exportRoute = (kind: string) =>
  apiRoute({
    method: "get",
    path: `/api/${kind}/export.csv`,
    access: ACCESS.readWithClientScope,
    tags: [kind[0]!.toUpperCase() + kind.slice(1)],
    summary: `Export ${kind} as CSV (the import format)`,
    responses: { 200: { description: `Every one of the ${kind} the caller may see`, content: csvText } },
  });

const importRoute = (kind: string) =>
  apiRoute({
    method: "post",
    path: `/api/${kind}/import`,
    access: ACCESS.data,
    tags: [kind[0]!.toUpperCase() + kind.slice(1)],
    summary: `Import ${kind} from CSV (text/csv body): all rows or none`,
    request: { body: { required: true, content: csvText } },
    responses: {
      200: jsonAnswer(importResultSchema, "Every row's outcome"),
      400: errorAnswer("The CSV cannot be read, or has a column no field takes"),
    },
  });

/** CSV export and import of companies, contacts and assets, in each one's field spec's columns. */
export function csvApi(routes: RouteTable, deps: Deps) {
  for (const kind of CSV_KINDS) {
    routes.api(exportRoute(kind), async (c) => {
      const csv = await exportCsv(deps.db, kind, await scopeCompanyId(c, deps));
      c.header("Content-Disposition", `attachment; filename="${kind}.csv"`);
      c.header("Cache-Control", "no-store");
      return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
    });
    // A CSV body has no schema to check: the rows are checked one by one, like a bulk upsert's.
    routes.api(importRoute(kind), async (c) => {
      if (!(c.req.header("content-type") ?? "").startsWith("text/csv"))
        throw new HttpError(415, "unsupported_media_type", "Send the body as text/csv.");
      return c.json(await importCsv(deps.db, kind, await c.req.text(), actorOf(c)), 200);
    });
  }
}
