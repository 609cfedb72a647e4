import { compressingStream, compressWhole } from "./codecs.ts";
import { chooseEncoding, type Encoding } from "./negotiate.ts";

/** Text that compresses well: pages, JSON, stylesheets, scripts, CSV and other text, SVG. Never event streams. */
const COMPRESSIBLE =
  /^(text\/(html|css|plain|csv|javascript|xml)|application\/(json|javascript|xml|[\w.-]+\+(json|xml))|image\/svg\+xml)\s*(;|$)/i;
/** Smaller bodies gain too little to pay for the work and the coding's own bytes. */
const MIN_BYTES = 1024;
/**
 * A body of stated length up to this is compressed whole and keeps a Content-Length (of what is
 * sent); a download (Content-Disposition: attachment), up to the size Nexus passes on whole anyway,
 * so its progress bar keeps working. Anything longer, or of unknown length, is compressed as it streams.
 */
const WHOLE_LIMIT = 1024 * 1024;
const WHOLE_DOWNLOAD_LIMIT = 8 * 1024 * 1024;

function addVary(headers: Headers): void {
  const vary = headers.get("vary");
  if (vary === null) headers.set("vary", "Accept-Encoding");
  else if (vary.trim() !== "*" && !/(^|,)\s*accept-encoding\s*(,|$)/i.test(vary))
    headers.append("vary", "Accept-Encoding");
}

/** What the app tagged is no longer byte for byte what is sent: a strong validator becomes a weak one. */
function weakenEtag(headers: Headers): void {
  const etag = headers.get("etag");
  if (etag?.startsWith('"')) headers.set("etag", `W/${etag}`);
}

/** Whether this answer may be coded at all (not whether it is worth it); its body is not touched. */
function mayCompress(req: Request, res: Response): boolean {
  if (req.method === "HEAD") return false;
  if (res.status < 200 || res.status === 204 || res.status === 206 || res.status === 304) return false;
  const headers = res.headers;
  // Already coded (by the app, or the stylesheet's own precompressed copy), or a range of it.
  if (headers.has("content-encoding") || headers.has("content-range")) return false;
  return !/(^|,)\s*no-transform\s*(,|$)/i.test(headers.get("cache-control") ?? "");
}

async function compressedWhole(res: Response, encoding: Encoding): Promise<Response> {
  const body = await compressWhole(await res.bytes(), encoding);
  res.headers.set("content-length", String(body.length));
  return new Response(body as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers });
}

/**
 * A response as this request's browser would best receive it: compressed with zstd, brotli or
 * gzip when the request accepts one (Accept-Encoding, q-values honoured) and the body is text of
 * at least 1 KB that nobody coded already, else as it is. Every response whose body could be
 * compressed says `Vary: Accept-Encoding`, whichever way it went, so caches keep both apart.
 */
export function compressFor(req: Request, res: Response): Response | Promise<Response> {
  const headers = res.headers;
  const type = headers.get("content-type");
  if (type === null || !COMPRESSIBLE.test(type)) return res;
  addVary(headers);
  const encoding = chooseEncoding(req.headers.get("accept-encoding"));
  if (encoding === null || !mayCompress(req, res)) return res;
  const length = Number(headers.get("content-length") ?? Number.NaN);
  // Reading `body` makes a JS stream of it (Bun would otherwise pass a proxied body on natively), so last.
  if (length < MIN_BYTES || res.body === null) return res;
  weakenEtag(headers);
  headers.set("content-encoding", encoding);
  const download = /^attachment\b/i.test(headers.get("content-disposition") ?? "");
  if (length <= (download ? WHOLE_DOWNLOAD_LIMIT : WHOLE_LIMIT)) return compressedWhole(res, encoding);
  headers.delete("content-length");
  return new Response(res.body!.pipeThrough(compressingStream(encoding)), { status: res.status, headers });
}
