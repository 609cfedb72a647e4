import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { attempt } from "../shared/forms.ts";
import { actorOf, authorOf, intParam, isClient, uploaderOf } from "../shared/request.ts";
import { uploadProblems, withFilesNotKept } from "./attachments/forms.ts";
import { keepUploads } from "./attachments/keep.ts";
import { mayClose } from "./client-tickets.ts";
import { closeTicket } from "./data.ts";
import { addEntry } from "./data-entries.ts";
import { backToTicket, renderTicketPage } from "./detail-page.tsx";
import { entryForm } from "./forms.ts";
import { visibleTicket, visibleTicketFirst } from "./visible.ts";

/** A ticket page's reply (with files) and close forms: staff on any ticket, a client on its company's. */
export function ticketReplyPages(routes: RouteTable, deps: Deps) {
  const { db, attachments: store, ticketEvents: events } = deps;

  routes.page(
    pageRoute({
      method: "post",
      path: "/tickets/{id}/reply",
      access: PAGES.reply,
      // Another company's ticket is not found before a byte of the form is read.
      middleware: [visibleTicketFirst(deps)],
      upload: store.rule(),
    }),
    async (c) => {
      const ticket = await visibleTicket(c, deps, intParam(c, "id"));
      const upload = c.get("upload")!;
      const raw = upload.fields;
      const problems = uploadProblems(upload, store.maxBytes);
      const parsed = entryForm.safeParse(raw);
      const errors = problems?.errors ?? (parsed.success ? {} : { body: parsed.error.issues[0]!.message });
      const failed = (status: 413 | 422, errors: Record<string, string>) => {
        c.status(status);
        return renderTicketPage(c, deps, withFilesNotKept(errors, upload), { ...raw, form: "reply" });
      };
      if (!parsed.success || problems) return failed(problems?.status ?? 422, errors);
      const reply = { kind: "reply" as const, body: parsed.data.body, ...authorOf(c), incoming: isClient(c) };
      const uploader = uploaderOf(c);
      const result = await attempt(() =>
        keepUploads(store, upload.files, uploader, (stored) =>
          addEntry(db, ticket, reply, actorOf(c), { files: { stored, uploaderId: uploader.id }, events }),
        ),
      );
      if (!result.ok) return failed(422, result.errors);
      return backToTicket(c, ticket.id, "replied");
    },
  );

  routes.page(
    pageRoute({
      method: "post",
      path: "/tickets/{id}/close",
      access: PAGES.close,
      middleware: [visibleTicketFirst(deps)],
    }),
    async (c) => {
      const ticket = await visibleTicket(c, deps, intParam(c, "id"));
      if (!mayClose(c, ticket)) {
        c.status(403);
        return renderTicketPage(c, deps, { close: "You can close the tickets you opened; this one someone else did." });
      }
      await closeTicket(db, ticket, actorOf(c), events);
      return backToTicket(c, ticket.id, "closed");
    },
  );
}
