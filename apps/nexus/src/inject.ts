export type Theme = "light" | "dark";

/**
 * Adds the design system to an HTML response as it streams (Bun's HTMLRewriter, nothing
 * buffered): a stylesheet link at the end of <head>, and `data-theme` on <html> when the user
 * picked a theme (otherwise global.css follows prefers-color-scheme).
 */
export function createInjector(href: string) {
  const link = `<link rel="stylesheet" href="${href}">`;
  const head = { element: (el: HTMLRewriterTypes.Element) => void el.append(link, { html: true }) };
  // Built once: a rewriter can transform any number of responses, concurrently.
  const rewriters = {
    none: new HTMLRewriter().on("head", head),
    light: new HTMLRewriter().on("head", head).on("html", { element: (el) => void el.setAttribute("data-theme", "light") }),
    dark: new HTMLRewriter().on("head", head).on("html", { element: (el) => void el.setAttribute("data-theme", "dark") }),
  };
  return (res: Response, theme: Theme | null): Response => {
    if (!res.body) return res;
    res.headers.delete("content-length");
    return rewriters[theme ?? "none"].transform(res);
  };
}

export function isHtml(res: Response): boolean {
  const type = res.headers.get("content-type");
  return type !== null && type.startsWith("text/html");
}
