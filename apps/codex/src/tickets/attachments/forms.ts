import { megabytes, type ReceivedUpload } from "@hivematrix/lib/uploads";
import { MAX_FILES_PER_FORM } from "./store.ts";

/** The file input of the ticket and reply forms. */
export const FILES_FIELD = "attachments";

/** What a form's files did wrong, next to its file input; the status to answer with (413 for a file too large). */
export function uploadProblems(
  upload: ReceivedUpload,
  maxBytes: number,
): { status: 413 | 422; errors: Record<string, string> } | null {
  if (upload.tooLarge.length) {
    const names = upload.tooLarge.join(", ");
    const verb = upload.tooLarge.length === 1 ? "is" : "are";
    const message = `${names} ${verb} larger than ${megabytes(maxBytes)}, the most a file may be. Nothing was saved.`;
    return { status: 413, errors: { [FILES_FIELD]: message } };
  }
  if (upload.tooMany)
    return {
      status: 422,
      errors: { [FILES_FIELD]: `Attach at most ${MAX_FILES_PER_FORM} files at once. Nothing was saved.` },
    };
  return null;
}

/** Field errors of a form that also carried files, which were not kept: say so by the file input. */
export function withFilesNotKept(errors: Record<string, string>, upload: ReceivedUpload): Record<string, string> {
  if (!upload.files.length || errors[FILES_FIELD]) return errors;
  return { ...errors, [FILES_FIELD]: "Choose the files again: they were not kept while the form had problems." };
}
