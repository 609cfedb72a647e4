import { notFound } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";
import type { TicketAttachment } from "../../db/schema.ts";
import { attachmentDisposition } from "./filename.ts";
import type { AttachmentStore } from "./store.ts";

/** Nothing in a download may run, load or be framed, should a browser ever try to show it. */
const DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'";

/**
 * An attachment's bytes, always as a download: the type sniffed when it was uploaded, the
 * browser told not to guess another (nosniff), the cleaned name offered in both RFC 6266 forms.
 */
export async function downloadResponse(
  store: AttachmentStore,
  attachment: TicketAttachment,
  logger: Logger,
): Promise<Response> {
  const file = await store.file(attachment.storageKey);
  if (!file) {
    logger.warn("an attachment's file is missing", { attachment_id: attachment.id, ticket_id: attachment.ticketId });
    throw notFound("The file of this attachment is missing.");
  }
  return new Response(file, {
    status: 200,
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": attachmentDisposition(attachment.filename),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": DOWNLOAD_POLICY,
      "Cache-Control": "private, no-store",
    },
  });
}
