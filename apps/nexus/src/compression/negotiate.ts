/** The content codings Nexus can send, best first when a client rates several the same. */
export const ENCODINGS = ["zstd", "br", "gzip"] as const;
export type Encoding = (typeof ENCODINGS)[number];

const QVALUE = /^q=([01](?:\.\d{0,3})?)$/i;

/**
 * The coding to answer in, from a request's Accept-Encoding (RFC 9110 §12.5.3): the one the
 * client rates highest, ties going to the better coding; `*` rates every coding it does not
 * name; q=0 refuses a coding. Null means the body goes as it is: no header (or an empty one),
 * or nothing Nexus can send is acceptable.
 */
export function chooseEncoding(acceptEncoding: string | null): Encoding | null {
  if (!acceptEncoding) return null;
  const rated = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.split(";").map((p) => p.trim());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const m = QVALUE.exec(param);
      if (m) q = Math.min(1, Number(m[1]));
      else if (/^q=/i.test(param)) q = 0;
    }
    rated.set(name.toLowerCase(), q);
  }
  const others = rated.get("*") ?? 0;
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const encoding of ENCODINGS) {
    const q = rated.get(encoding) ?? others;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}
