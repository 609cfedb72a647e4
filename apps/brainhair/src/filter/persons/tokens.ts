/** Words of a text with their offsets and letter case, as the person detector reads them. */

export type Shape = "cap" | "upper" | "lower" | "initial" | "other";

export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
  shape: Shape;
  /** A period follows the word ("Dr.", "J.", or a sentence's end). */
  dot: boolean;
}

const WORD = /\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*/gu;
const POSSESSIVE = /['’]s$/u;
const CAP = /^(?:Mc|Mac|O['’]|D['’])?\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*$/u;
const UPPER = /^\p{Lu}{2,}(?:['’-]\p{Lu}+)*$/u;
const LOWER = /^\p{Ll}[\p{Ll}\p{M}]*(?:['’-]\p{Ll}+)*$/u;

function shapeOf(word: string, dot: boolean): Shape {
  if (/^\p{Lu}$/u.test(word)) return dot ? "initial" : "other";
  if (CAP.test(word)) return "cap";
  if (UPPER.test(word)) return "upper";
  if (LOWER.test(word)) return "lower";
  return "other";
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    // "Kavanagh's clerk": the name is "Kavanagh".
    const word = m[0].replace(POSSESSIVE, "");
    const end = m.index + word.length;
    // A digit or underscore glued to the word makes it an identifier (IVC-ENG-07, scan_0412), not a name.
    if (/[\p{N}_]/u.test(text[m.index - 1] ?? "") || /[\p{N}_]/u.test(text[m.index + m[0].length] ?? "")) continue;
    const dot = text[end] === ".";
    out.push({ text: word, lower: word.toLowerCase(), start: m.index, end, shape: shapeOf(word, dot), dot });
  }
  return out;
}

/** What separates two tokens, as the detector distinguishes it. */
export function gap(text: string, a: Token, b: Token): "space" | "comma" | "other" {
  const between = text.slice(a.end, b.start);
  if (/^ {1,2}$/.test(between) || (a.shape === "initial" && /^\. ?$/.test(between))) return "space";
  if (/^, ?$/.test(between)) return "comma";
  return "other";
}
