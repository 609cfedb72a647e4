/**
 * What a word is likely to be: a first name, a surname, or an everyday English word, and how
 * common each is. Read once, on first use, from data/lexicon.tsv.gz, which data/build-lexicon.ts
 * builds from pinned packages (faker's names of 73 locales, the 1990 US Census lists, humannames,
 * SCOWL's English words by tier): ~280,000 words kept as one sorted array and typed arrays, looked
 * up by binary search, instead of the packages' own data (~100 MB more resident).
 */
import { readFileSync } from "node:fs";

/** Read-only lookups with the shape of a Map or Set, over the sorted words. */
export interface Lookup<V> {
  get(word: string): V | undefined;
  has(word: string): boolean;
}

export interface Lexicon {
  /** First names, lower-cased, with a weight: 1 for the most common, lower for rarer ones. */
  first: Lookup<number>;
  /** Surnames, likewise. */
  surname: Lookup<number>;
  /** Lower-cased English words with their SCOWL tier (10 = most common, 50 = uncommon). */
  english: Lookup<number>;
  /** Anything seen as a given name or surname somewhere. */
  known: Lookup<true>;
}

const NONE = 255;

/**
 * The words, one after another in one string, with where each starts: ~3 MB, where an array of
 * 280,000 strings would cost several times that.
 */
interface Words {
  all: string;
  starts: Int32Array;
}

/** Compares `w` with word i without cutting it out of the string (JavaScript's string order). */
function compare(words: Words, i: number, w: string): number {
  const from = words.starts[i]!;
  const to = words.starts[i + 1]! - 1;
  const n = Math.min(to - from, w.length);
  for (let k = 0; k < n; k++) {
    const d = words.all.charCodeAt(from + k) - w.charCodeAt(k);
    if (d !== 0) return d;
  }
  return to - from - w.length;
}

function indexOf(words: Words, w: string): number {
  let lo = 0;
  let hi = words.starts.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(words, mid, w);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function column<V>(words: Words, values: Uint8Array, decode: (v: number) => V): Lookup<V> {
  const get = (w: string): V | undefined => {
    const i = indexOf(words, w);
    return i < 0 || values[i] === NONE ? undefined : decode(values[i]!);
  };
  return { get, has: (w) => get(w) !== undefined };
}

/** Reads a column's number, or NONE for an empty column, from `from` to the tab or newline after it. */
function numberAt(text: string, from: number, to: number): number {
  if (from === to) return NONE;
  let v = 0;
  for (let k = from; k < to; k++) v = v * 10 + text.charCodeAt(k) - 48;
  return v;
}

function load(): Lexicon {
  const path = new URL("../data/lexicon.tsv.gz", import.meta.url);
  const text = new TextDecoder().decode(Bun.gunzipSync(readFileSync(path)));
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) count++;
  const first = new Uint8Array(count);
  const surname = new Uint8Array(count);
  const english = new Uint8Array(count);
  const known = new Uint8Array(count);
  const starts = new Int32Array(count + 1);
  const parts: string[] = [];
  let offset = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    const end = text.indexOf("\n", at);
    const t1 = text.indexOf("\t", at);
    const t2 = text.indexOf("\t", t1 + 1);
    const t3 = text.indexOf("\t", t2 + 1);
    const t4 = text.indexOf("\t", t3 + 1);
    parts.push(text.slice(at, t1));
    starts[i] = offset;
    offset += t1 - at + 1;
    first[i] = numberAt(text, t1 + 1, t2);
    surname[i] = numberAt(text, t2 + 1, t3);
    english[i] = numberAt(text, t3 + 1, t4);
    known[i] = t4 + 1 < end ? 1 : NONE;
    at = end + 1;
  }
  starts[count] = offset;
  // Joined with a separator after each word, so that word i ends where word i + 1 starts, less one.
  const words: Words = { all: `${parts.join("\n")}\n`, starts };
  return {
    first: column(words, first, (v) => v / 10),
    surname: column(words, surname, (v) => v / 10),
    english: column(words, english, (v) => v),
    known: column(words, known, () => true as const),
  };
}

let loaded: Lexicon | null = null;

export function lexicon(): Lexicon {
  loaded ??= load();
  return loaded;
}
