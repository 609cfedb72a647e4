/**
 * A sender's file name made safe to show and to offer back as a download name. It is only ever
 * a label: files are stored under random keys.
 */

const MAX_NAME = 200;
// Control characters (C0, DEL, C1) and the bidirectional overrides that make `gpj.exe` read as `exe.jpg`.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The name without any path (either slash), control characters or surrounding spaces and dots; "attachment" when none is left. */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const clean = base.normalize("NFC").replace(UNSAFE, "").trim().replace(/^\.+/, "").trim();
  if (!clean) return "attachment";
  if (clean.length <= MAX_NAME) return clean;
  const dot = clean.lastIndexOf(".");
  const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : "";
  return clean.slice(0, MAX_NAME - extension.length) + extension;
}

/**
 * `Content-Disposition: attachment` with the name twice (RFC 6266): an ASCII fallback for old
 * clients, and the exact name UTF-8 percent-encoded (RFC 5987's `filename*`).
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
