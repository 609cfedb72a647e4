/**
 * What a word is likely to be: a first name, a surname, or an everyday English word, and how
 * common each is. Read once, on first use, from data/lexicon.tsv.gz, which data/build-lexicon.ts
 * builds from pinned packages (faker's names of 73 locales, the 1990 US Census lists, humannames,
 * SCOWL's English words by tier): ~280,000 words kept as UTF-8 bytes and typed arrays, looked up by
 * binary search, instead of the packages' own data (~100 MB more resident).
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
const TAB = 9;

/**
 * The words as UTF-8 bytes, one after another, with where each starts (~2 MB): no JavaScript string
 * is made for them, neither the decoded file (~8 MB as UTF-16) nor 280,000 small ones. The file is
 * sorted by UTF-8 bytes, the order of code points (build-lexicon.ts).
 */
interface Words {
  bytes: Uint8Array;
  starts: Int32Array;
}

const encoder = new TextEncoder();
/** The word looked up, encoded into one buffer reused by every lookup (names are short). */
let query = new Uint8Array(256);

/** Compares the encoded query (`length` bytes) with word i, byte by byte. */
function compare(words: Words, i: number, length: number): number {
  const from = words.starts[i]!;
  const size = words.starts[i + 1]! - from;
  const n = Math.min(size, length);
  for (let k = 0; k < n; k++) {
    const d = words.bytes[from + k]! - query[k]!;
    if (d !== 0) return d;
  }
  return size - length;
}

function indexOf(words: Words, w: string): number {
  if (w.length * 3 > query.length) query = new Uint8Array(w.length * 3);
  const length = encoder.encodeInto(w, query).written;
  let lo = 0;
  let hi = words.starts.length - 2;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(words, mid, length);
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

/** Reads a column's number, or NONE for an empty column, from `from` up to the next tab or newline. */
function numberAt(file: Uint8Array, from: number): { value: number; end: number } {
  let value = 0;
  let end = from;
  for (; file[end]! >= 48 && file[end]! <= 57; end++) value = value * 10 + file[end]! - 48;
  return { value: end === from ? NONE : value, end };
}

function load(): Lexicon {
  const file = Bun.gunzipSync(readFileSync(new URL("../data/lexicon.tsv.gz", import.meta.url)));
  let count = 0;
  for (let at = file.indexOf(10); at >= 0; at = file.indexOf(10, at + 1)) count++;
  const first = new Uint8Array(count);
  const surname = new Uint8Array(count);
  const english = new Uint8Array(count);
  const known = new Uint8Array(count);
  const starts = new Int32Array(count + 1);
  // The words are copied to the front of the file's own buffer, then that part is kept.
  let offset = 0;
  let at = 0;
  for (let i = 0; i < count; i++) {
    const tab = file.indexOf(TAB, at);
    starts[i] = offset;
    file.copyWithin(offset, at, tab);
    offset += tab - at;
    const f = numberAt(file, tab + 1);
    const s = numberAt(file, f.end + 1);
    const e = numberAt(file, s.end + 1);
    first[i] = f.value;
    surname[i] = s.value;
    english[i] = e.value;
    known[i] = file[e.end + 1] === 49 ? 1 : NONE;
    at = file.indexOf(10, e.end) + 1;
  }
  starts[count] = offset;
  const words: Words = { bytes: file.slice(0, offset), starts };
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
