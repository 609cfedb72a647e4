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

interface Model {
  unseen: number;
  odds: Map<string, number>;
  /** Everyday words of other languages that no name list has, folded. */
  foreign: Set<string>;
}

let model: Model | null = null;

function load(): Model {
  const lines = new TextDecoder()
    .decode(Bun.gunzipSync(readFileSync(new URL("../data/name-shape.tsv.gz", import.meta.url))))
    .split("\n");
  const odds = new Map<string, number>();
  const split = lines.indexOf("--");
  for (const line of lines.slice(1, split)) {
    const tab = line.indexOf("\t");
    if (tab > 0) odds.set(line.slice(0, tab), Number(line.slice(tab + 1)) / 10);
  }
  const foreign = new Set(lines.slice(split + 1).filter((line) => line !== ""));
  return { unseen: Number(lines[0]) / 10, odds, foreign };
}

/** An everyday word of Spanish, Portuguese, Italian, French or German ("gracias", "clínica"); `word` lower-cased. */
export function isForeignWord(word: string): boolean {
  model ??= load();
  return model.foreign.has(fold(word));
}

/** `word` lower-cased. */
export function nameShape(word: string): number {
  model ??= load();
  const grams = trigrams(word);
  let sum = 0;
  for (const gram of grams) sum += model.odds.get(gram) ?? model.unseen;
  return sum / grams.length;
}
