import type { Theme } from "./theme.ts";

/** How far into a page Nexus looks for `</head>`; past that the page passes on untouched. */
const HEAD_LIMIT = 64 * 1024;
/** A page that states a length up to this is read whole in one native call instead of chunk by chunk. */
const WHOLE_LIMIT = 256 * 1024;
const MEMO_ENTRIES = 1000;
const MEMO_MAX_HEAD = 8 * 1024;
const decoder = new TextDecoder();
/** Keeps one head's memo entries per theme apart. */
const THEME_SALT = { none: 0, light: 1, dark: 2 };
const encoder = new TextEncoder();

/** Index just past the `</head>` end tag in `bytes` (ASCII case-insensitive; not `</header>`), or -1. */
export function endOfHead(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(60); i >= 0 && i + 6 < bytes.length; i = bytes.indexOf(60, i + 1)) {
    const after = bytes[i + 6]!;
    const nameEnds = after === 62 || after === 47 || after === 32 || (after >= 9 && after <= 13);
    if (
      nameEnds &&
      bytes[i + 1] === 47 &&
      (bytes[i + 2]! | 32) === 104 &&
      (bytes[i + 3]! | 32) === 101 &&
      (bytes[i + 4]! | 32) === 97 &&
      (bytes[i + 5]! | 32) === 100
    ) {
      const close = bytes.indexOf(62, i + 6);
      return close < 0 ? -1 : close + 1;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Resolves on the next turn of the event loop: whatever has already arrived is read by then. */
const nextTurn = () => new Promise<null>((resolve) => setImmediate(resolve, null));

/**
 * Adds the design system to an HTML response: a stylesheet link at the end of <head>, and
 * `data-theme` on <html> when the user picked a theme (otherwise global.css follows
 * prefers-color-scheme). Bun's HTMLRewriter rewrites the document up to `</head>`, the only
 * part that changes; the body is passed on byte for byte. A page that has fully arrived is
 * answered at once; one still arriving streams on (nothing past its head is held). A page of
 * stated length up to WHOLE_LIMIT (most app pages) is read in one go, which costs far less than
 * reading it through a stream reader.
 */
export function createInjector(href: string) {
  const link = `<link rel="stylesheet" href="${href}">`;
  const head = { element: (el: HTMLRewriterTypes.Element) => void el.append(link, { html: true }) };
  // Built once: a rewriter can transform any number of documents.
  const rewriters = {
    none: new HTMLRewriter().on("head", head),
    light: new HTMLRewriter()
      .on("head", head)
      .on("html", { element: (el) => void el.setAttribute("data-theme", "light") }),
    dark: new HTMLRewriter()
      .on("head", head)
      .on("html", { element: (el) => void el.setAttribute("data-theme", "dark") }),
  };

  // The rewrite is a pure function of the head and theme, and a page's head rarely changes
  // between requests, so recent results are kept (bounded) instead of re-parsed: found by a
  // hash of the head's bytes, then compared byte for byte (no decoding on a hit).
  const rewritten = new Map<number, { theme: Theme | null; head: Uint8Array; out: Uint8Array }>();
  const rewriteHead = (headBytes: Uint8Array, theme: Theme | null): Uint8Array => {
    const key = Bun.hash.crc32(headBytes) * 4 + THEME_SALT[theme ?? "none"];
    const hit = rewritten.get(key);
    if (hit !== undefined && hit.theme === theme && Bun.deepEquals(hit.head, headBytes)) return hit.out;
    const out = encoder.encode(rewriters[theme ?? "none"].transform(decoder.decode(headBytes)));
    if (headBytes.length <= MEMO_MAX_HEAD) {
      if (rewritten.size >= MEMO_ENTRIES) rewritten.delete(rewritten.keys().next().value!);
      rewritten.set(key, { theme, head: headBytes.slice(), out });
    }
    return out;
  };

  const withStylesheet = (page: Uint8Array, theme: Theme | null): Uint8Array<ArrayBuffer> => {
    const end = endOfHead(page);
    return end < 0
      ? (page as Uint8Array<ArrayBuffer>)
      : concat(rewriteHead(page.subarray(0, end), theme), page.subarray(end));
  };

  /**
   * A page read whole, as its rewritten head and the rest of its bytes in one Blob: the Blob's
   * bytes live outside the JS heap, where a page-sized copy per request would make the
   * collector run several times as often.
   */
  const wholePage = (res: Response, page: Uint8Array<ArrayBuffer>, theme: Theme | null): Response => {
    const end = endOfHead(page);
    const head = end < 0 ? null : rewriteHead(page.subarray(0, end), theme);
    // The response's own headers are reused (Nexus's and fetch's answers both allow changes).
    const headers = res.headers;
    if (head === null) {
      headers.set("content-length", String(page.length));
      return new Response(page, { status: res.status, headers });
    }
    headers.set("content-length", String(head.length + page.length - end));
    return new Response(new Blob([head as Uint8Array<ArrayBuffer>, page.subarray(end)]), {
      status: res.status,
      headers,
    });
  };

  return async (res: Response, theme: Theme | null): Promise<Response> => {
    if (!res.body) return res;
    const stated = Number(res.headers.get("content-length") ?? Number.NaN);
    if (stated <= WHOLE_LIMIT) return wholePage(res, await res.bytes(), theme);
    const reader = res.body.getReader();
    let seen: Uint8Array = new Uint8Array(0);
    let end = -1;
    let done = false;
    while (end < 0 && !done && seen.length <= HEAD_LIMIT) {
      const r = await reader.read();
      if (r.done) done = true;
      else seen = seen.length ? concat(seen, r.value) : r.value;
      end = endOfHead(seen);
    }
    const start = end < 0 ? seen : withStylesheet(seen, theme);
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    const init = { status: res.status, statusText: res.statusText, headers };
    // A page that has fully arrived is answered whole, with its length (which compression looks at).
    const whole = () => {
      headers.set("content-length", String(start.length));
      return new Response(start as Uint8Array<ArrayBuffer>, init);
    };
    if (done) return whole();
    let pending: ReturnType<typeof reader.read> | null = reader.read();
    const next = await Promise.race([pending, nextTurn()]);
    if (next?.done) return whole();
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(start);
        },
        async pull(controller) {
          const r = await (pending ?? reader.read());
          pending = null;
          if (r.done) controller.close();
          else controller.enqueue(r.value);
        },
        cancel: (reason) => reader.cancel(reason),
      }),
      init,
    );
  };
}

export function isHtml(res: Response): boolean {
  const type = res.headers.get("content-type");
  return type?.startsWith("text/html") ?? false;
}
