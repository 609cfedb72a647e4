export type Theme = "light" | "dark";

/** How far into a page Nexus looks for `</head>` before passing it on untouched. */
const HEAD_LIMIT = 64 * 1024;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Index just past the `</head>` end tag in `bytes` (ASCII case-insensitive; not `</header>`), or -1. */
export function endOfHead(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(60); i >= 0 && i + 6 < bytes.length; i = bytes.indexOf(60, i + 1)) {
    const after = bytes[i + 6]!;
    const nameEnds = after === 62 || after === 47 || after === 32 || (after >= 9 && after <= 13);
    if (nameEnds && bytes[i + 1] === 47 && (bytes[i + 2]! | 32) === 104 && (bytes[i + 3]! | 32) === 101 && (bytes[i + 4]! | 32) === 97 && (bytes[i + 5]! | 32) === 100) {
      const close = bytes.indexOf(62, i + 6);
      return close < 0 ? -1 : close + 1;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Adds the design system to an HTML response as it streams: a stylesheet link at the end of
 * <head>, and `data-theme` on <html> when the user picked a theme (otherwise global.css follows
 * prefers-color-scheme). Bun's HTMLRewriter rewrites the document up to `</head>`, the only
 * part that changes; the body is passed on byte for byte, so a large page costs no parsing and
 * nothing past the head is ever held.
 */
export function createInjector(href: string) {
  const link = `<link rel="stylesheet" href="${href}">`;
  const head = { element: (el: HTMLRewriterTypes.Element) => void el.append(link, { html: true }) };
  const rewriters = {
    none: new HTMLRewriter().on("head", head),
    light: new HTMLRewriter().on("head", head).on("html", { element: (el) => void el.setAttribute("data-theme", "light") }),
    dark: new HTMLRewriter().on("head", head).on("html", { element: (el) => void el.setAttribute("data-theme", "dark") }),
  };

  return (res: Response, theme: Theme | null): Response => {
    if (!res.body) return res;
    const rewriter = rewriters[theme ?? "none"];
    const reader = res.body.getReader();
    let seen: Uint8Array = new Uint8Array(0);
    let rewritten = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Each pull delivers something or ends the stream: reading stops only with the head found.
        for (;;) {
          const { done, value } = await reader.read();
          if (rewritten) {
            if (done) controller.close();
            else controller.enqueue(value);
            return;
          }
          if (!done) seen = seen.length ? concat(seen, value) : value;
          const end = endOfHead(seen);
          if (end >= 0) {
            controller.enqueue(encoder.encode(rewriter.transform(decoder.decode(seen.subarray(0, end)))));
            if (end < seen.length) controller.enqueue(seen.subarray(end));
            rewritten = true;
          } else if (done || seen.length > HEAD_LIMIT) {
            // No head to add to (a fragment, or a head too long to wait for): pass it on as it is.
            if (seen.length) controller.enqueue(seen);
            rewritten = true;
          }
          if (done) return controller.close();
          if (rewritten) return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

export function isHtml(res: Response): boolean {
  const type = res.headers.get("content-type");
  return type !== null && type.startsWith("text/html");
}
