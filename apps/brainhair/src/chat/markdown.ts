import { onFirstUse } from "@hivematrix/lib/on-first-use";

/**
 * The model's text as HTML: markdown-it with raw HTML off, so whatever the model or a ticket it
 * quotes writes (<script>, onerror=…) comes out as text; links only with markdown-it's safe
 * schemes (no javascript: or data:), opening outside the chat without the page as opener.
 */
// Loaded with the first chat shown, not at start-up (lib/on-first-use).
const renderer = onFirstUse(() => {
  const MarkdownIt = require("markdown-it") as typeof import("markdown-it").default;
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
  const renderLink =
    md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = (tokens, index, options, env, self) => {
    tokens[index]!.attrSet("rel", "noopener noreferrer nofollow");
    tokens[index]!.attrSet("target", "_blank");
    return renderLink(tokens, index, options, env, self);
  };
  // Table alignment would come as style attributes, which the platform's CSP refuses anyway: left out.
  md.core.ruler.push("no_inline_style", (state) => {
    for (const token of state.tokens) if (token.attrs) token.attrs = token.attrs.filter(([name]) => name !== "style");
  });
  return md;
});

export function renderMarkdown(text: string): string {
  return renderer().render(text);
}
