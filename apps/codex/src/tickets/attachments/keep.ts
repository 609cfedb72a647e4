import type { ReceivedFile } from "@hivematrix/lib/uploads";
import type { NewAttachment } from "./data.ts";
import { cleanFilename } from "./filename.ts";
import { sniffContentType } from "./sniff.ts";
import type { AttachmentStore } from "./store.ts";

/** An attachment's file, kept in the store, waiting for its row. */
export type StoredFile = Omit<NewAttachment, "ticketId" | "entryId">;

/** Who uploads: the IdP's user id (or `service:<name>`) and the name to show. */
export interface Uploader {
  id: string;
  name: string;
}

/**
 * Keeps received uploads as attachments: each name cleaned, each type sniffed from its bytes,
 * each file moved into the store under a new random key. Then `write` records them (with
 * whatever they come with); if it fails, the files go again, so no file outlives a write that
 * did not happen.
 */
export async function keepUploads<T>(
  store: AttachmentStore,
  files: ReceivedFile[],
  uploader: Uploader,
  write: (stored: StoredFile[]) => Promise<T>,
  nameOf: (file: ReceivedFile) => string = (file) => file.filename,
): Promise<T> {
  const stored: StoredFile[] = [];
  try {
    for (const file of files) {
      const contentType = await sniffContentType(file.path);
      const storageKey = store.newKey();
      await store.keep(file.path, storageKey);
      stored.push({
        storageKey,
        filename: cleanFilename(nameOf(file)),
        contentType,
        sizeBytes: file.size,
        sha256: file.sha256,
        uploadedById: uploader.id,
        uploadedByName: uploader.name,
      });
    }
    return await write(stored);
  } catch (e) {
    await store.remove(stored.map((file) => file.storageKey));
    throw e;
  }
}
