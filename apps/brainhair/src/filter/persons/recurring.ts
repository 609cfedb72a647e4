/**
 * The same person, replaced the same way everywhere: once a name is found, its surname elsewhere in
 * the text (or in any string of the same JSON value) is found too, and "John" before it is kept as
 * the first name.
 */
import type { Candidate, KeepSpan, PersonParts } from "../candidates.ts";
import { Taken } from "../spans.ts";
import { escapeRegExp } from "../context.ts";
import { lexicon } from "./lexicon.ts";

/** People found so far, by lower-cased surname. */
export class KnownPeople {
  private readonly bySurname = new Map<string, PersonParts>();
  private pattern: RegExp | null = null;

  get size(): number {
    return this.bySurname.size;
  }

  get(surname: string): PersonParts | undefined {
    return this.bySurname.get(surname.toLowerCase().replace(/\s+/g, " "));
  }

  /** Adds a person; one known with a first name is not replaced by the same surname without one. */
  learn(person: PersonParts): void {
    if (person.surname.length < 2) return;
    const key = person.surname.toLowerCase().replace(/\s+/g, " ");
    const had = this.bySurname.get(key);
    if (had && (had.first || !person.first)) return;
    this.bySurname.set(key, person);
    this.pattern = null;
  }

  remember(found: Candidate[]): void {
    for (const c of found) if (c.type === "PERSON" && c.person) this.learn(c.person);
  }

  /** Every known surname as one whole-word pattern, rebuilt only when someone new is learnt. */
  surnames(): RegExp {
    if (!this.pattern) {
      const names = [...this.bySurname.keys()].sort((a, b) => b.length - a.length);
      const alternatives = names.map((n) => escapeRegExp(n).replace(/ /g, "\\s+")).join("|");
      this.pattern = new RegExp(`(?<![\\p{L}\\p{N}@.])(?:${alternatives})(?![\\p{L}\\p{N}@])`, "giu");
    }
    return this.pattern;
  }
}

export function recurring(text: string, taken: Candidate[], keeps: KeepSpan[], known: KnownPeople): Candidate[] {
  const out: Candidate[] = [];
  const english = lexicon().english;
  const busy = new Taken(text.length);
  for (const span of [...taken, ...keeps]) busy.take(span.start, span.end);
  for (const m of text.matchAll(known.surnames())) {
    const person = known.get(m[0])!;
    // A surname that is also an everyday word ("Marsh", "Mason") counts only capitalised, as a name.
    if ((english.get(m[0].toLowerCase()) ?? 99) <= 35 && !/^\p{Lu}/u.test(m[0])) continue;
    const withFirst = person.first !== undefined && precededByFirst(text, m.index, person.first);
    const span = { start: withFirst ? m.index - person.first!.length - 1 : m.index, end: m.index + m[0].length };
    if (!busy.free(span.start, span.end)) continue;
    out.push({ type: "PERSON", ...span, score: 60, person: withFirst ? person : { surname: m[0] } });
  }
  return out;
}

function precededByFirst(text: string, at: number, first: string): boolean {
  const from = at - first.length - 1;
  return (
    from >= 0 &&
    text[at - 1] === " " &&
    text.slice(from, at - 1).toLowerCase() === first.toLowerCase() &&
    !/[\p{L}\p{N}]/u.test(text[from - 1] ?? "")
  );
}
