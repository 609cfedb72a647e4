/** Looking around a span: the words just before or after it, and cue words anywhere in the text. */

/** Letters and digits: what "inside a longer word or number" means throughout the filter. */
export const ALNUM = "\\p{L}\\p{N}";
/** Lookbehind/lookahead that keep a match from starting or ending inside a longer word or number. */
export const B_START = `(?<![${ALNUM}])`;
export const B_END = `(?![${ALNUM}])`;

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;

/** Where the clause holding `pos` starts: a word in another sentence or line labels nothing here. */
const CLAUSE_END = /[.;!?]\s|\n/g;

/** Up to `n` lower-cased words right before `pos` in its clause (nearest last), within `chars` characters. */
export function wordsBefore(text: string, pos: number, n: number, chars = 60): string[] {
  let window = text.slice(Math.max(0, pos - chars), pos);
  let clauseStart = 0;
  for (const m of window.matchAll(CLAUSE_END)) clauseStart = m.index + m[0].length;
  window = window.slice(clauseStart);
  const words = window.toLowerCase().match(WORD) ?? [];
  return words.slice(-n).map((w) => w.replace(/[.'’]+$/, ""));
}

/** Up to `n` lower-cased words right after `pos`, within `chars` characters. */
export function wordsAfter(text: string, pos: number, n: number, chars = 60): string[] {
  const words =
    text
      .slice(pos, pos + chars)
      .toLowerCase()
      .match(WORD) ?? [];
  return words.slice(0, n).map((w) => w.replace(/[.'’]+$/, ""));
}

/** True when any of `words` is among the `n` words before `pos`. */
export function precededBy(text: string, pos: number, words: ReadonlySet<string>, n: number): boolean {
  return wordsBefore(text, pos, n).some((w) => words.has(w));
}

/** A string as a regex source that matches it literally. */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
