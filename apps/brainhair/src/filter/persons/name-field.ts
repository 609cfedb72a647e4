/**
 * A field that holds a person's name is read as one, without guessing: "Smith, John", "Dr. Jane
 * Q. Doe Jr.", "de Vries, Rutger". Returns where the name is in the value and its parts, or null
 * when the value is not written like a name (digits, an email, a sentence).
 */
import type { PersonParts } from "../candidates.ts";
import { TITLES } from "./cues.ts";
import { PARTICLES, SUFFIXES } from "./likeness.ts";

export interface NameInValue {
  start: number;
  end: number;
  person: PersonParts;
}

const WORD = /\p{L}[\p{L}\p{M}'’-]*\.?/gu;

export function nameInValue(value: string): NameInValue | null {
  if (/[\d@<>]/.test(value) || value.length > 80) return null;
  const words = [...value.matchAll(WORD)].map((m) => ({ text: m[0].replace(/\.$/, ""), start: m.index }));
  while (words.length > 0 && TITLES.has(words[0]!.text.toLowerCase())) words.shift();
  while (
    words.length > 0 &&
    (SUFFIXES.has(words.at(-1)!.text.toLowerCase()) || /^[A-Z]{2,5}$/.test(words.at(-1)!.text))
  ) {
    words.pop();
  }
  if (words.length < 2 || words.length > 5) return null;
  const first = words[0]!;
  const last = words.at(-1)!;
  const start = first.start;
  const end = last.start + last.text.length;
  const comma = value.indexOf(",", first.start);
  if (comma > first.start && comma < words[1]!.start) {
    // "Last, First [Middle]"
    return { start, end, person: { first: words[1]!.text, surname: first.text } };
  }
  let from = words.length - 1;
  while (from > 1 && PARTICLES.has(words[from - 1]!.text.toLowerCase())) from--;
  const surname = value.slice(words[from]!.start, end);
  return { start, end, person: { first: first.text, surname } };
}
