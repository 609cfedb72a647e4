import { fileTypeFromFile } from "file-type";

/** How much of a file's start decides whether it is text. */
const TEXT_PROBE_BYTES = 8192;

/**
 * A file's content type from its bytes alone (file-type's signatures), never from the sender's
 * header or name: a binary format it knows, else UTF-8 text without control bytes is
 * `text/plain`, else `application/octet-stream`. Markup (HTML, SVG, XML) is never given a type a
 * browser would render: it is served as text, and always as a download.
 */
export async function sniffContentType(path: string): Promise<string> {
  const known = await fileTypeFromFile(path);
  if (known) return RENDERED.has(known.mime) ? "text/plain; charset=utf-8" : known.mime;
  const start = new Uint8Array(await Bun.file(path).slice(0, TEXT_PROBE_BYTES).arrayBuffer());
  return looksLikeText(start) ? "text/plain; charset=utf-8" : "application/octet-stream";
}

/** Types a browser would run or lay out as a document if it ever showed one inline. */
const RENDERED = new Set(["application/xml", "text/xml", "image/svg+xml", "text/html", "application/xhtml+xml"]);

function looksLikeText(bytes: Uint8Array): boolean {
  for (const byte of bytes)
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b) || byte === 0x7f) return false;
  // A multi-byte character cut at the probe's end is still text.
  const decoded = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const replaced = decoded.slice(0, -1).includes("\uFFFD");
  return !replaced;
}

/** Images shown as a picture beside their link (rasters only: they carry no script). */
export const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
