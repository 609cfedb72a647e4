import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Checks that HTML and TSX sources only use classes global.css defines, so a page never
 * renders with a class that silently does nothing. Apps' tests render their pages and call
 * `assertClassesDefined(html)`; the design-system test also scans every source file.
 */

/**
 * Nexus serves the stylesheet; lib imports no app code, it only reads this file in tests
 * because the classes lib/ui emits and the rules in global.css are one contract.
 */
export const GLOBAL_CSS_PATH = fileURLToPath(new URL("../../../apps/nexus/static/global.css", import.meta.url));

/** Every class name used in a selector of `css` (declarations and at-rule preludes are skipped). */
export function cssClassNames(css: string): Set<string> {
  const names = new Set<string>();
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  let prelude = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "{") {
      addSelectorClasses(prelude, names);
      prelude = "";
    } else if (ch === "}" || ch === ";") prelude = "";
    else prelude += ch;
  }
  return names;
}

function addSelectorClasses(prelude: string, names: Set<string>): void {
  const selector = prelude.trim();
  if (selector.startsWith("@")) return;
  for (const m of selector.replace(/\[[^\]]*\]/g, "").matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) names.add(m[1]!);
}

let cached: Set<string> | null = null;

/** The classes global.css defines, read once per process. */
export function definedClasses(): Set<string> {
  cached ??= cssClassNames(readFileSync(GLOBAL_CSS_PATH, "utf8"));
  return cached;
}

/** Every class token in the `class` attributes of rendered HTML. */
export function htmlClassNames(html: string): Set<string> {
  const names = new Set<string>();
  for (const m of html.matchAll(/\sclass\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    for (const token of (m[1] ?? m[2] ?? "").split(/\s+/)) if (token) names.add(token);
  }
  return names;
}

/** Classes in `html` that global.css does not define, sorted. */
export function undefinedClasses(html: string, defined: Set<string> = definedClasses()): string[] {
  return [...htmlClassNames(html)].filter((c) => !defined.has(c)).sort();
}

/** Throws, naming every class in `html` that global.css does not define. */
export function assertClassesDefined(html: string, where = "HTML"): void {
  const missing = undefinedClasses(String(html));
  if (missing.length > 0) {
    throw new Error(
      `${where} uses ${missing.length} class(es) not defined in global.css (${GLOBAL_CSS_PATH}): ${missing.join(", ")}`,
    );
  }
}

/**
 * A class found in source. Static tokens are checked as they are; a token built from an
 * interpolation (`btn--${variant}`) keeps its static prefix and suffix and the expression.
 */
export type SourceClassUse = { token: string } | { prefix: string; suffix: string; expression: string };

/** Class uses in the class and className attributes of a TSX or TS source (also raw HTML strings). */
export function sourceClassUses(source: string): SourceClassUse[] {
  const uses: SourceClassUse[] = [];
  for (const m of source.matchAll(/(?<![\w$.-])(?:class|className)\s*=\s*/g)) {
    const start = m.index + m[0].length;
    const ch = source[start];
    if (ch === "{") {
      const end = matchingBrace(source, start);
      uses.push(...expressionUses(source.slice(start + 1, end), source));
    } else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, start + 1);
      if (end > start) uses.push(...templateUses(source.slice(start + 1, end), source));
    } else if (ch === "\\" && (source[start + 1] === '"' || source[start + 1] === "'")) {
      const end = source.indexOf(`\\${source[start + 1]}`, start + 2);
      if (end > start) uses.push(...templateUses(source.slice(start + 2, end), source));
    }
  }
  return uses;
}

/** Index of the brace closing the one at `open`, skipping braces inside string and template literals. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === "`") i = literalEnd(text, i);
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return text.length;
}

/** Index of the quote closing the literal that opens at `start`, honouring escapes and `${}`. */
function literalEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") i++;
    else if (ch === quote) return i;
    else if (quote === "`" && ch === "$" && text[i + 1] === "{") i = matchingBrace(text, i + 1);
  }
  return text.length;
}

/** Class uses in a JS expression: its string literals and template literals. */
function expressionUses(expression: string, source: string): SourceClassUse[] {
  const trimmed = expression.trim();
  if (/^[A-Za-z_$][\w$]*$/.test(trimmed)) return variableUses(trimmed, source);
  const uses: SourceClassUse[] = [];
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch !== '"' && ch !== "'" && ch !== "`") continue;
    const end = literalEnd(expression, i);
    const body = expression.slice(i + 1, end);
    const compared = /[=!]==?\s*$/.test(expression.slice(0, i)) || /^\s*[=!]==?/.test(expression.slice(end + 1));
    if (!compared) uses.push(...(ch === "`" ? templateUses(body, source) : staticUses(body)));
    i = end;
  }
  return uses;
}

/** A class list held in a local `const cls = ...` and passed to the attribute by name. */
function variableUses(name: string, source: string): SourceClassUse[] {
  const m = new RegExp(`(?:const|let|var)\\s+${name.replace(/\$/g, "\\$")}\\s*(?::[^=]+)?=\\s*`).exec(source);
  if (!m) return [];
  const start = m.index + m[0].length;
  let end = start;
  let depth = 0;
  for (; end < source.length; end++) {
    const ch = source[end];
    if (ch === '"' || ch === "'" || ch === "`") end = literalEnd(source, end);
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if ((ch === ";" || ch === "\n") && depth <= 0) break;
  }
  return expressionUses(source.slice(start, end), source);
}

function staticUses(text: string): SourceClassUse[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => ({ token }));
}

const HOLE = "\u0000";

/** Splits a template body into class tokens; tokens touching an interpolation become prefix checks. */
function templateUses(body: string, source: string): SourceClassUse[] {
  const expressions: string[] = [];
  let text = "";
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      text += body[i + 1] ?? "";
      i++;
    } else if (body[i] === "$" && body[i + 1] === "{") {
      const end = matchingBrace(body, i + 1);
      expressions.push(body.slice(i + 2, end));
      text += HOLE;
      i = end;
    } else text += body[i];
  }
  const uses: SourceClassUse[] = [];
  let hole = 0;
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const holes = token.split(HOLE).length - 1;
    const inner = expressions.slice(hole, hole + holes);
    hole += holes;
    if (holes === 0) uses.push({ token });
    else if (token === HOLE) uses.push(...expressionUses(inner[0]!, source));
    else {
      uses.push({
        prefix: token.slice(0, token.indexOf(HOLE)),
        suffix: token.slice(token.lastIndexOf(HOLE) + 1),
        expression: inner.length === 1 ? inner[0]!.trim() : inner.join(" "),
      });
    }
  }
  return uses;
}

/** `type Name = "a" | "b"` aliases of string-literal unions, by name. */
export function stringUnionAliases(sources: string[]): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const source of sources) {
    for (const m of source.matchAll(/\btype\s+([A-Za-z_]\w*)\s*=\s*((?:\|?\s*"[^"]*"\s*)+);/g)) {
      aliases.set(m[1]!, literalValues(m[2]!));
    }
  }
  return aliases;
}

function literalValues(union: string): string[] {
  return [...union.matchAll(/"([^"]*)"/g)].map((v) => v[1]!);
}

/**
 * The values an interpolated identifier can take, from the type it is declared with in the
 * same source (`variant?: ButtonVariant` or `level: "a" | "b"`); null when unknown.
 */
function possibleValues(expression: string, source: string, aliases: Map<string, string[]>): string[] | null {
  const name = /(?:^|\.)([A-Za-z_$][\w$]*)$/.exec(expression)?.[1];
  if (!name) return null;
  let inline: string[] | null = null;
  for (const m of source.matchAll(
    new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\??\\s*:\\s*([A-Za-z_]\\w*|"[^"]*"(?:\\s*\\|\\s*"[^"]*")+)`, "g"),
  )) {
    const type = m[1]!;
    const alias = aliases.get(type);
    if (alias) return alias;
    if (type.startsWith('"')) inline ??= literalValues(type);
  }
  return inline;
}

/**
 * Class uses in `files` that global.css does not define, as "path: class" lines. Interpolated
 * tokens are expanded over their union type when it can be found, otherwise at least one
 * defined class must match their static prefix and suffix.
 */
export function findUndefinedSourceClasses(
  files: { path: string; source: string }[],
  defined: Set<string> = definedClasses(),
): string[] {
  const aliases = stringUnionAliases(files.map((f) => f.source));
  const problems = new Set<string>();
  for (const { path, source } of files) {
    for (const use of sourceClassUses(source)) {
      if ("token" in use) {
        if (!defined.has(use.token)) problems.add(`${path}: ${use.token}`);
        continue;
      }
      const { prefix, suffix, expression } = use;
      const values = possibleValues(expression, source, aliases);
      if (values) {
        for (const v of values) if (!defined.has(prefix + v + suffix)) problems.add(`${path}: ${prefix}${v}${suffix}`);
      } else if (
        (prefix || suffix) &&
        ![...defined].some(
          (c) => c.length > prefix.length + suffix.length && c.startsWith(prefix) && c.endsWith(suffix),
        )
      ) {
        problems.add(`${path}: ${prefix}\${${expression}}${suffix}`);
      }
    }
  }
  return [...problems].sort();
}
