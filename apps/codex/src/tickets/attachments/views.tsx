import { usePage } from "@hivematrix/lib/page";
import { Field } from "@hivematrix/lib/ui";
import { megabytes } from "@hivematrix/lib/uploads";
import { FILES_FIELD } from "./forms.ts";
import type { AttachmentJson } from "./json.ts";

/** The file input of a ticket's or reply's form. */
export function FilesField({ error, maxBytes }: { error?: string; maxBytes: number }) {
  return (
    <Field
      name={FILES_FIELD}
      label="Attachments"
      type="file"
      multiple
      error={error}
      hint={`Screenshots, logs, documents: up to ${megabytes(maxBytes)} each. The client sees them.`}
      full
    />
  );
}

const size = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : megabytes(bytes);

/** Attachments as download links, with size, type and who uploaded them. */
export function AttachmentList({ files }: { files: AttachmentJson[] }) {
  const page = usePage();
  if (files.length === 0) return null;
  return (
    <ul aria-label="Attachments">
      {files.map((file) => (
        <li>
          <a href={page.url(`/api/tickets/${file.ticket_id}/attachments/${file.id}`)} download={file.filename}>
            {file.filename}
          </a>{" "}
          ({size(file.size)}, {file.content_type.split(";")[0]}, from {file.uploaded_by_name})
        </li>
      ))}
    </ul>
  );
}
