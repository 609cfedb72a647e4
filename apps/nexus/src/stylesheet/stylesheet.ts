import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compressSmallest } from "../compression/codecs.ts";
import type { Encoding } from "../compression/negotiate.ts";

const GLOBAL_CSS_FILE = join(import.meta.dir, "..", "..", "static", "global.css");

export interface Stylesheet {
  /** `/static/global.<hash>.css`: safe to cache for a year, a new file gets a new name. */
  href: string;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  /** The file compressed with `encoding`, as small as it gets (made once, on first use). */
  encoded(encoding: Encoding): Uint8Array<ArrayBuffer>;
}

/** global.css, read once at start-up and named by its content hash. */
export function loadStylesheet(): Stylesheet {
  const body = new Uint8Array(readFileSync(GLOBAL_CSS_FILE));
  const hash = new Bun.CryptoHasher("sha256").update(body).digest("hex").slice(0, 16);
  const encodings = new Map<Encoding, Uint8Array<ArrayBuffer>>();
  return {
    href: `/static/global.${hash}.css`,
    body,
    etag: `"${hash}"`,
    encoded(encoding) {
      let encoded = encodings.get(encoding);
      if (!encoded) encodings.set(encoding, (encoded = compressSmallest(body, encoding) as Uint8Array<ArrayBuffer>));
      return encoded;
    },
  };
}
