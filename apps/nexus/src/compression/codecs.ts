import zlib from "node:zlib";
import type { Encoding } from "./negotiate.ts";

/**
 * Levels for answers made on the fly: fast enough to keep a page's cost small next to proxying it
 * (zstd's default; brotli's quality 4 and gzip's 6, the usual choices for dynamic content).
 */
const ZSTD_LEVEL = 3;
const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;
/** A body up to this is compressed on the event loop; a bigger one on Bun's worker threads. */
const SYNC_LIMIT = 64 * 1024;
/** A stream's output is flushed this soon after input stops arriving, so its reader sees it at once. */
const STREAM_FLUSH_MS = 20;

const brotliParams = (size: number, quality = BROTLI_QUALITY) => ({
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size },
});

const promised = <T>(run: (done: (error: Error | null, out: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, out) => (error ? reject(error) : resolve(out))));

/** A whole body compressed; small ones at once, big ones off the event loop. */
export async function compressWhole(body: Uint8Array, encoding: Encoding): Promise<Uint8Array> {
  const small = body.length <= SYNC_LIMIT;
  switch (encoding) {
    case "zstd":
      return small ? Bun.zstdCompressSync(body, { level: ZSTD_LEVEL }) : Bun.zstdCompress(body, { level: ZSTD_LEVEL });
    case "br":
      return small
        ? zlib.brotliCompressSync(body, brotliParams(body.length))
        : promised<Buffer>((done) => zlib.brotliCompress(body, brotliParams(body.length), done));
    case "gzip":
      return small
        ? Bun.gzipSync(body as Uint8Array<ArrayBuffer>, { level: GZIP_LEVEL })
        : promised<Buffer>((done) => zlib.gzip(body, { level: GZIP_LEVEL }, done));
  }
}

/** A body compressed once, as small as the coding makes it (for what is sent many times, like global.css). */
export function compressSmallest(body: Uint8Array, encoding: Encoding): Uint8Array {
  if (encoding === "zstd") return Bun.zstdCompressSync(body, { level: 19 });
  if (encoding === "br") return zlib.brotliCompressSync(body, brotliParams(body.length, 11));
  return Bun.gzipSync(body as Uint8Array<ArrayBuffer>, { level: 9 });
}

function nodeCompressor(encoding: Encoding): zlib.Gzip | zlib.BrotliCompress | zlib.ZstdCompress {
  if (encoding === "zstd")
    return zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } });
  if (encoding === "br") return zlib.createBrotliCompress(brotliParams(0));
  return zlib.createGzip({ level: GZIP_LEVEL });
}

/**
 * A stream compressed as it flows. Output is flushed whenever the input pauses for a moment (a
 * slow export's first rows, a page still being rendered), so the browser gets what exists so far
 * without waiting for the end, while a body that streams quickly is compressed in large blocks.
 */
export function compressingStream(encoding: Encoding): TransformStream<Uint8Array, Uint8Array> {
  const compressor = nodeCompressor(encoding);
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const ended = new Promise<void>((resolve, reject) => {
    compressor.once("end", resolve);
    compressor.once("error", reject);
  });
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      compressor.on("data", (chunk: Buffer) => {
        try {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        } catch {
          // The reader went away (the browser closed the page): what is left has nowhere to go. Thrown
          // from the compressor's event, the error would be uncaught and end the whole process.
          if (flushTimer) clearTimeout(flushTimer);
          compressor.destroy();
        }
      });
    },
    transform(chunk) {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = setTimeout(() => {
        flushTimer = null;
        compressor.flush();
      }, STREAM_FLUSH_MS);
      return promised<void>((done) => compressor.write(chunk, (error) => done(error ?? null, undefined)));
    },
    flush() {
      if (flushTimer) clearTimeout(flushTimer);
      compressor.end();
      return ended;
    },
  });
}
