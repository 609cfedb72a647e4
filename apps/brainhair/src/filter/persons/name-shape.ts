/**
 * How much a word no list has is shaped like a name rather than an English word ("Abenov", "Okonjo"
 * and "Yerlan" like names; "Hyperspace" and "Availity" not): the mean, over its three-letter
 * sequences, of their log-odds of occurring in names against English words, which
 * data/build-name-shape.ts learns from the lexicons. About 0 for either; a name's is typically 0.5-2.5.
 * Also the everyday words of other languages no name list has, which are no names either.
 */
import { readFileSync } from "node:fs";

/** Letters that lose no mark in NFD but spell the same sound class as their base letter. */
const FOLDED: Record<string, string> = { ø: "o", ł: "l", đ: "d", ı: "i", ß: "ss", æ: "ae", œ: "oe", þ: "th", ð: "d" };
const MARKS = /\p{M}/gu;
const OTHER = /[øłđıßæœþð]/g;

/** The word without its accents: "jónsdóttir" as "jonsdottir" (the lists spell most names without them). */
export function fold(word: string): string {
  return word
    .normalize("NFD")
    .replace(MARKS, "")
    .replace(OTHER, (c) => FOLDED[c] ?? c);
}

/**
 * The word's three-letter sequences, "^" and "$" marking its start and end, its accents taken off and
 * each part of a hyphenated word ("Seo-yeon") read as a word of its own.
 */
export function trigrams(word: string): string[] {
  const out: string[] = [];
  for (const part of fold(word).split(/['’-]/)) {
    if (part === "") continue;
    const marked = `^${part}$`;
    for (let i = 0; i + 3 <= marked.length; i++) out.push(marked.slice(i, i + 3));
  }
  return out;
}

/**
 * The log-odds of each sequence of the letters a-z, "^" and "$" (28 symbols), in tenths, in one
 * typed array (22 KB) instead of a Map of 25,000 strings; a sequence with another letter (accents
 * are folded first) is taken as unseen. The foreign words are one sorted string searched by halves.
 */
interface Model {
  unseen: number;
  odds: Int8Array;
  foreign: string[];
}

const SYMBOLS = 28;
const UNKNOWN = -128;

/** The index of a three-symbol sequence, or -1 when a symbol is outside a-z, "^", "$". */
function slot(gram: string): number {
  let index = 0;
  for (let i = 0; i < 3; i++) {
    const code = gram.charCodeAt(i);
    const symbol = code === 94 ? 26 : code === 36 ? 27 : code - 97;
    if (symbol < 0 || symbol >= SYMBOLS) return -1;
    index = index * SYMBOLS + symbol;
  }
  return index;
}

let model: Model | null = null;

function load(): Model {
  const lines = new TextDecoder()
    .decode(Bun.gunzipSync(readFileSync(new URL("../data/name-shape.tsv.gz", import.meta.url))))
    .split("\n");
  const odds = new Int8Array(SYMBOLS ** 3).fill(UNKNOWN);
  const split = lines.indexOf("--");
  for (const line of lines.slice(1, split)) {
    const at = slot(line);
    if (at >= 0 && line[3] === "\t") odds[at] = Number(line.slice(4));
  }
  // The file lists them sorted; copied out of the file's text so that it is not kept alive.
  const foreign = lines
    .slice(split + 1)
    .filter((line) => line !== "")
    .map((line) => ` ${line}`.slice(1));
  return { unseen: Number(lines[0]), odds, foreign };
}

/** An everyday word of Spanish, Portuguese, Italian, French or German ("gracias", "clínica"); `word` lower-cased. */
export function isForeignWord(word: string): boolean {
  model ??= load();
  const folded = fold(word);
  const words = model.foreign;
  let lo = 0;
  let hi = words.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const probe = words[mid]!;
    if (probe === folded) return true;
    if (probe < folded) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** `word` lower-cased. */
export function nameShape(word: string): number {
  model ??= load();
  const grams = trigrams(word);
  let sum = 0;
  for (const gram of grams) {
    const at = slot(gram);
    const odds = at < 0 ? UNKNOWN : model.odds[at]!;
    sum += odds === UNKNOWN ? model.unseen : odds;
  }
  return sum / grams.length / 10;
}
