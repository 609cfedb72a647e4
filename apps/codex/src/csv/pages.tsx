import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { HttpError, notFound } from "@hivematrix/lib/errors";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { BulkRejected } from "../shared/data-bulk.ts";
import { actorOf } from "../shared/request.ts";
import { importCsv } from "./data.ts";
import { CSV_KINDS, type CsvKind } from "./json.ts";
import { type ImportOutcome, ImportPage } from "./views.tsx";

function kindOf(c: Context<AppEnv>): CsvKind {
  const kind = CSV_KINDS.find((known) => known === c.req.param("kind"));
  if (!kind) throw notFound("Import companies, contacts or assets.");
  return kind;
}

export function csvPages(routes: RouteTable, deps: Deps) {
  const render = (c: Context<AppEnv>, kind: CsvKind, errors: Record<string, string>, result?: ImportOutcome) =>
    c.render(<ImportPage kind={kind} errors={errors} result={result} />, { title: `Import ${kind}`, section: kind });

  routes.page(pageRoute({ method: "get", path: "/import/{kind}", access: PAGES.data }), (c) =>
    render(c, kindOf(c), {}),
  );

  routes.page(pageRoute({ method: "post", path: "/import/{kind}", access: PAGES.data }), async (c) => {
    const kind = kindOf(c);
    const file = (await c.req.parseBody()).file;
    if (!(file instanceof File) || file.size === 0) {
      c.status(422);
      return render(c, kind, { file: "Choose a CSV file." });
    }
    try {
      return render(c, kind, {}, await importCsv(deps.db, kind, await file.text(), actorOf(c)));
    } catch (e) {
      c.status(422);
      if (e instanceof BulkRejected) {
        const rows = e.result.results
          .filter((row) => row.status === "error")
          .map((row) => ({
            line: row.index + 2,
            messages: (row.errors ?? []).map((error) => `${error.field}: ${error.message}`).join("; "),
          }));
        return render(c, kind, {}, { rows });
      }
      // A CSV that cannot be read, or has a column no field takes.
      if (e instanceof HttpError && (e.status === 400 || e.status === 422)) return render(c, kind, { file: e.message });
      throw e;
    }
  });
}
