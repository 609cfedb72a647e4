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
const CAP_PREFIX = /^(?:Mc|Mac|O['’]|D['’])/;

/** Letter case by comparing the word with its lower- and upper-cased forms: faster than a regex per word. */
function shapeOf(word: string, dot: boolean): Shape {
  const lower = word.toLowerCase();
  const upper = word.toUpperCase();
  if (word.length === 1) return word !== lower && dot ? "initial" : word === lower ? "lower" : "other";
  if (word === lower) return "lower";
  if (word === upper) return "upper";
  // "McAllister" is capitalised after its prefix; "Mc" alone is a word of its own.
  const head = word.match(CAP_PREFIX)?.[0] ?? "";
  const rest = word.length > head.length ? word.slice(head.length) : word;
  // "Nwachukwu-Grant", "O'Connell": each part capitalised, the rest of it lower-case.
  const parts = rest.split(/['’-]/);
  const capitalised = (p: string, i: number) =>
    p.length > 0 && p.slice(1) === p.slice(1).toLowerCase() && (i > 0 || p[0] !== p[0]!.toLowerCase());
  return rest[0] !== rest[0]!.toLowerCase() && parts.every(capitalised) ? "cap" : "other";
}

const GLUE = /[0-9_]/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    // "Kavanagh's clerk": the name is "Kavanagh".
    const word = m[0].endsWith("'s") || m[0].endsWith("’s") ? m[0].slice(0, -2) : m[0];
    const end = m.index + word.length;
    // A digit or underscore glued to the word makes it an identifier (IVC-ENG-07, scan_0412), not a name.
    if (GLUE.test(text[m.index - 1] ?? "") || GLUE.test(text[m.index + m[0].length] ?? "")) continue;
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
