import { z } from "zod";
import { transaction } from "@hivematrix/lib/db";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { errorAnswer, jsonAnswer } from "../../shared/route-schemas.ts";
import { actorOf, uploaderOf } from "../../shared/request.ts";
import { ticketParams } from "../json.ts";
import { visibleTicket, visibleTicketFirst } from "../visible.ts";
import { insertAttachments, requireAttachment, ticketAttachments } from "./data.ts";
import { downloadResponse } from "./download.ts";
import { attachmentJson, attachmentListSchema, attachmentParams, attachmentSchema, uploadQuery } from "./json.ts";
import { keepUploads } from "./keep.ts";
import { attachmentLinks } from "./links.ts";

const tags: [string] = ["Tickets"];
const fileContent = (description: string) => ({
  "application/octet-stream": { schema: z.string().meta({ format: "binary", description }) },
});

/** Attachments through the API: upload one file as the body, list a ticket's, download one. */
export function attachmentsApi(routes: RouteTable, deps: Deps) {
  const { db, attachments: store } = deps;
  const maxMb = Math.round(store.maxBytes / (1024 * 1024));

  const uploadRoute = apiRoute({
    method: "post",
    path: "/api/tickets/{id}/attachments",
    access: ACCESS.reply,
    tags,
    summary: "Attach a file to a ticket (the body is the file; clients: their company's tickets)",
    description:
      `The body is the file's bytes, streamed, up to ${maxMb} MB (CODEX_ATTACHMENT_MAX_MB); ?filename= names it. ` +
      "Its type is sniffed from the bytes. To put it on a reply, pass its id in the reply's attachment_ids.",
    idempotent: true,
    upload: store.rule(1),
    middleware: visibleTicketFirst(deps),
    request: {
      params: ticketParams,
      query: uploadQuery,
      body: { required: true, content: fileContent("The file") },
    },
    responses: {
      201: jsonAnswer(attachmentSchema, "The attachment as stored"),
      413: errorAnswer(`The file is larger than ${maxMb} MB`),
    },
  });

  const listRoute = apiRoute({
    method: "get",
    path: "/api/tickets/{id}/attachments",
    access: ACCESS.readWithClientScope,
    tags,
    summary: "A ticket's attachments, with their download links",
    request: { params: ticketParams },
    responses: { 200: jsonAnswer(attachmentListSchema, "Oldest first") },
  });

  const downloadRoute = apiRoute({
    method: "get",
    path: "/api/tickets/{id}/attachments/{attachment_id}",
    access: ACCESS.readWithClientScope,
    tags,
    summary: "Download an attachment (always as a download, with its sniffed type)",
    request: { params: attachmentParams },
    responses: { 200: { description: "The file", content: fileContent("The file's bytes") } },
  });

  routes.api(uploadRoute, async (c) => {
    const ticket = await visibleTicket(c, deps, c.req.valid("param").id);
    const { filename } = c.req.valid("query");
    const [attachment] = await keepUploads(
      store,
      c.get("upload")!.files,
      uploaderOf(c),
      (stored) =>
        transaction(db, (tx) =>
          insertAttachments(
            tx,
            db,
            stored.map((file) => ({ ...file, ticketId: ticket.id, entryId: null })),
            ticket.companyId,
            actorOf(c),
          ),
        ),
      () => filename ?? "",
    );
    return c.json(attachmentJson(attachment!, attachmentLinks(c)), 201);
  });

  routes.api(listRoute, async (c) => {
    const ticket = await visibleTicket(c, deps, c.req.valid("param").id);
    const link = attachmentLinks(c);
    const items = (await ticketAttachments(db, ticket.id)).map((row) => attachmentJson(row, link));
    return c.json({ items }, 200);
  });

  routes.api(downloadRoute, async (c) => {
    const { id, attachment_id } = c.req.valid("param");
    const ticket = await visibleTicket(c, deps, id);
    return downloadResponse(store, await requireAttachment(db, ticket.id, attachment_id), c.get("log"));
  });
}
