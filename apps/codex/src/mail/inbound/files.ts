import { rm, writeFile } from "node:fs/promises";
import { temporaryPath, type ReceivedFile } from "@hivematrix/lib/uploads";
import { MAX_FILES_PER_FORM, type AttachmentStore } from "../../tickets/attachments/store.ts";
import type { InboundMail, MailAttachment } from "./parse.ts";

/** An email's files, written where uploads arrive, and those it carried that are not kept (too big, too many). */
export interface MailFiles {
  received: ReceivedFile[];
  notKept: MailAttachment[];
}

/**
 * Writes the attachments of `mail` that the ticket's rules allow (each within the attachment
 * size limit, as many as a form may carry) into the store's `incoming/`, as an upload would
 * arrive; the rest are named in the text instead.
 */
export async function receiveMailFiles(store: AttachmentStore, mail: InboundMail): Promise<MailFiles> {
  const received: ReceivedFile[] = [];
  const notKept: MailAttachment[] = [];
  try {
    for (const attachment of mail.attachments) {
      if (attachment.content.length > store.maxBytes || received.length >= MAX_FILES_PER_FORM) {
        notKept.push(attachment);
        continue;
      }
      const path = temporaryPath(store.incoming);
      await writeFile(path, attachment.content, { mode: 0o600 });
      const sha256 = new Bun.CryptoHasher("sha256").update(attachment.content).digest("hex");
      received.push({ field: "email", filename: attachment.filename, path, size: attachment.content.length, sha256 });
    }
  } catch (e) {
    await discardMailFiles(received);
    throw e;
  }
  return { received, notKept };
}

/** Removes files still waiting in `incoming/` (a message that made no ticket or reply). */
export async function discardMailFiles(files: ReceivedFile[]): Promise<void> {
  await Promise.all(files.map((file) => rm(file.path, { force: true })));
}
