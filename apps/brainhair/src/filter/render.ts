/**
 * Writes the filtered text: a person as first name and surname initial ("John S.", "Dr. S." where
 * only the title and surname were written), every other entity as `<TYPE>`, as the seed shows.
 */
import type { Candidate, PersonParts } from "./candidates.ts";
import type { EntityType } from "./levels.ts";

export interface Entity {
  type: EntityType;
  /** Offsets into the original text. */
  start: number;
  end: number;
}

export function personText(person: PersonParts): string {
  const words = person.surname.split(/\s+/);
  const main = words.find((w) => /^\p{Lu}/u.test(w)) ?? words[0] ?? "";
  const initial = `${(main[0] ?? "").toUpperCase()}.`;
  return person.first ? `${person.first} ${initial}` : initial;
}

export function replacement(c: Candidate): string {
  return c.type === "PERSON" && c.person ? personText(c.person) : `<${c.type}>`;
}

export function render(text: string, found: Candidate[]): { text: string; entities: Entity[] } {
  let out = "";
  let at = 0;
  for (const c of found) {
    const written = replacement(c);
    // "…called John Smith." becomes "…called John S.", not "John S.." (but "NAM/SMITH, J.DOB/…" keeps its period).
    const sentenceEnd = text[c.end] === "." && !/\S/.test(text[c.end + 1] ?? " ");
    out += text.slice(at, c.start) + (written.endsWith(".") && sentenceEnd ? written.slice(0, -1) : written);
    at = c.end;
  }
  return {
    text: out + text.slice(at),
    entities: found.map(({ type, start, end }) => ({ type, start, end })),
  };
}
