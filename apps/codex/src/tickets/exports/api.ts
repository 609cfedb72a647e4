import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { scopeCompanyId } from "../../shared/client-scope.ts";
import { type CsvColumns, csvHeader, csvRows } from "../../shared/csv.ts";
import { jsonAnswer } from "../../shared/route-schemas.ts";
import { ticketViewer } from "../../shared/request.ts";
import { attachmentSchema } from "../attachments/json.ts";
import { attachmentLinks } from "../attachments/links.ts";
import { ticketListQuery, ticketSchema } from "../json.ts";
import { type ExportedTicket, exportedTickets } from "./data.ts";

const tags: [string] = ["Tickets"];
const exportQuery = ticketListQuery.omit({ limit: true, cursor: true });
type ExportFilters = z.infer<typeof exportQuery>;

/** The CSV's columns; `attachments` holds each file's download link, `;` between them. */
const COLUMNS: CsvColumns = [
  ["id", "int"],
  ["ticket_number", "text"],
  ["company", "text"],
  ["subject", "text"],
  ["status", "text"],
  ["priority", "text"],
  ["requester_name", "text"],
  ["requester_email", "text"],
  ["assignee_name", "text"],
  ["opened_by_name", "text"],
  ["opened_by_email", "text"],
  ["created_at", "text"],
  ["updated_at", "text"],
  ["closed_at", "text"],
  ["external_source", "text"],
  ["external_id", "text"],
  ["description", "text"],
  ["attachments", "list"],
];

const csvRoute = apiRoute({
  method: "get",
  path: "/api/tickets/export.csv",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "Export tickets as CSV (the list's filters), attachments as download links",
  request: { query: exportQuery },
  responses: {
    200: { description: "Every ticket the caller may see", content: { "text/csv": { schema: z.string() } } },
  },
});

const jsonRoute = apiRoute({
  method: "get",
  path: "/api/tickets/export.json",
  access: ACCESS.readWithClientScope,
  tags,
  summary: "Export tickets as JSON (the list's filters), each with its attachments' download links",
  request: { query: exportQuery },
  responses: {
    200: jsonAnswer(
      z.object({ items: z.array(ticketSchema.extend({ attachments: z.array(attachmentSchema) })) }),
      "Every ticket the caller may see",
    ),
  },
});

/** Pages of text written as they are read, so a large install's export never sits whole in memory. */
function streamed(parts: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await parts.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await parts.return(undefined);
    },
  });
}

const download = (name: string) => ({
  "Content-Disposition": `attachment; filename="${name}"`,
  "Cache-Control": "no-store",
});

/** Ticket exports (CSV and JSON) of what the caller may see: a client its company's, without time. */
export function ticketExportsApi(routes: RouteTable, deps: Deps) {
  const tickets = async (c: Context<AppEnv>, filters: ExportFilters) =>
    exportedTickets(deps.db, filters, await scopeCompanyId(c, deps), ticketViewer(c), attachmentLinks(c));

  routes.api(csvRoute, async (c) => {
    const pages = await tickets(c, c.req.valid("query"));
    async function* csv() {
      yield csvHeader(COLUMNS);
      for await (const page of pages)
        yield csvRows(
          COLUMNS,
          page.map((ticket) => ({ ...ticket, attachments: ticket.attachments.map((file) => file.url) })),
        );
    }
    return new Response(streamed(csv()), {
      headers: { "Content-Type": "text/csv; charset=utf-8", ...download("tickets.csv") },
    });
  });

  routes.api(jsonRoute, async (c) => {
    const pages = await tickets(c, c.req.valid("query"));
    async function* json() {
      yield '{"items":[';
      let first = true;
      for await (const page of pages) {
        const items = page.map((ticket: ExportedTicket) => JSON.stringify(ticket)).join(",");
        if (items) yield (first ? "" : ",") + items;
        if (items) first = false;
      }
      yield "]}";
    }
    // Streamed as it is read: the document describes the JSON it adds up to, which no one value holds here.
    return new Response(streamed(json()), {
      headers: { "Content-Type": "application/json; charset=utf-8", ...download("tickets.json") },
    }) as never;
  });
}
