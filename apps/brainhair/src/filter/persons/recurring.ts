/**
 * The same person, replaced the same way everywhere: once a name is found, its surname elsewhere in
 * the text (or in any string of the same JSON value) is found too, and "John" before it is kept as
 * the first name.
 */
import { escapeRegExp } from "../context.ts";
import { type Candidate, type KeepSpan, overlaps, type PersonParts } from "../candidates.ts";
import { lexicon } from "./lexicon.ts";

/** People found so far, by lower-cased surname. */
export type KnownPeople = Map<string, PersonParts>;

export function remember(known: KnownPeople, found: Candidate[]): void {
  for (const c of found) {
    if (c.type !== "PERSON" || !c.person || c.person.surname.length < 2) continue;
    const key = c.person.surname.toLowerCase();
    const had = known.get(key);
    if (!had || (!had.first && c.person.first)) known.set(key, c.person);
  }
}

export function recurring(text: string, taken: Candidate[], keeps: KeepSpan[], known: KnownPeople): Candidate[] {
  const out: Candidate[] = [];
  const english = lexicon().english;
  for (const [key, person] of known) {
    // A surname that is also an everyday word ("Marsh", "Mason") counts only capitalised, as a name.
    const wordy = (english.get(key) ?? 99) <= 35;
    const first = person.first ? `(?:${escapeRegExp(person.first)}\\s+)?` : "";
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}@.])${first}${escapeRegExp(person.surname)}(?![\\p{L}\\p{N}@]|\\.\\p{L})`,
      wordy ? "gu" : "giu",
    );
    for (const m of text.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (wordy && !/^\p{Lu}/u.test(m[0].slice(m[0].length - person.surname.length))) continue;
      if (taken.some((t) => overlaps(t, span)) || keeps.some((k) => overlaps(k, span))) continue;
      const withFirst = person.first !== undefined && m[0].length > person.surname.length;
      out.push({ type: "PERSON", ...span, score: 60, person: withFirst ? person : { surname: person.surname } });
    }
  }
  return out;
}
