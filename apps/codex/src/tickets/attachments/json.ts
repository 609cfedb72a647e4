import { z } from "zod";
import type { TicketAttachment } from "../../db/schema.ts";
import { idParam } from "../../shared/input.ts";

/** An attachment as the API shows it, with the link to its bytes. */
export const attachmentSchema = z
  .object({
    id: z.number().int(),
    ticket_id: z.number().int(),
    /** The reply it came with; null when attached to the ticket itself. */
    entry_id: z.number().int().nullable(),
    filename: z.string(),
    /** Sniffed from the bytes when it was uploaded, never taken from the sender. */
    content_type: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    uploaded_by_name: z.string(),
    created_at: z.iso.datetime(),
    /** Where to download it (through Nexus when the request came that way). */
    url: z.string(),
  })
  .meta({ id: "TicketAttachment" });
export type AttachmentJson = z.infer<typeof attachmentSchema>;

/** Builds an attachment's download link from its ids (lib's app URL, absolute when Nexus said where it is). */
export type AttachmentLink = (ticketId: number, attachmentId: number) => string;

export function attachmentJson(attachment: TicketAttachment, link: AttachmentLink): AttachmentJson {
  return {
    id: attachment.id,
    ticket_id: attachment.ticketId,
    entry_id: attachment.entryId,
    filename: attachment.filename,
    content_type: attachment.contentType,
    size: attachment.sizeBytes,
    sha256: attachment.sha256,
    uploaded_by_name: attachment.uploadedByName,
    created_at: attachment.createdAt.toISOString(),
    url: link(attachment.ticketId, attachment.id),
  };
}

export const attachmentParams = z.object({ id: idParam, attachment_id: idParam });

/** An upload through the API: the body is the file; its name comes in the query. */
export const uploadQuery = z
  .object({
    filename: z
      .string()
      .max(1000)
      .optional()
      .meta({ description: "The file's name to show (paths and control characters are taken out)" }),
  })
  .strict();

export const attachmentListSchema = z.object({ items: z.array(attachmentSchema) });

/** Attachments a reply brings: uploaded to its ticket by the same caller first, not yet on any reply. */
export const attachmentIds = z
  .array(z.number().int().positive())
  .max(10, "At most 10 attachments per reply.")
  .optional()
  .meta({ description: "Ids of attachments you uploaded to this ticket (POST .../attachments) for this reply" });
