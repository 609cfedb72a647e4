/** The pipeline: recognize, keep to the level's types, settle overlaps, then find known people again. */
import type { Candidate, KeepSpan } from "./candidates.ts";
import { LEVEL_TYPES, type Level } from "./levels.ts";
import type { Compiled } from "./options.ts";
import { type KnownPeople, recurring } from "./persons/recurring.ts";
import { accountsBesidePeople } from "./recognizers/accounts.ts";
import { datesBesidePeople } from "./recognizers/dates.ts";
import { keepSpans, RECOGNIZERS } from "./recognizers/index.ts";
import { resolve } from "./resolve.ts";

export interface Analysis {
  found: Candidate[];
  keeps: KeepSpan[];
}

/**
 * One word with no digit, "@" or ":" holds nothing a recognizer finds (a name alone needs a title or
 * a second word beside it); JSON is full of such values ("open", "true", "Windows").
 */
const NOTHING_TO_FIND = /^[^\s\d@:]*$/;

export function analyze(text: string, level: Level, options: Compiled): Analysis {
  if (NOTHING_TO_FIND.test(text)) return { found: [], keeps: [] };
  const types = LEVEL_TYPES[level];
  const candidates: Candidate[] = [];
  // What a recognizer reads as a type the level keeps still says what the text is: "MRN 100428817"
  // at standard is no passport for a guess by shape to take, so it stands as a keep span (below any
  // labelled reading of another type: a "license" may be a driver's or a clinician's).
  const otherTypes: KeepSpan[] = [];
  for (const [reports, recognize] of RECOGNIZERS) {
    if (!reports.some((t) => types.has(t))) continue;
    for (const c of recognize(text, options)) {
      if (types.has(c.type)) candidates.push(c);
      else if (c.type !== "PERSON") otherTypes.push({ start: c.start, end: c.end, score: c.score - 10 });
    }
  }
  const keeps = keepSpans(text, options);
  if (otherTypes.length > 0) keeps.push(...otherTypes);
  let found = resolve(text.length, candidates, keeps);
  if (types.has("DATE_OF_BIRTH")) {
    const people = found.filter((c) => c.type === "PERSON");
    const beside = [...datesBesidePeople(text, people), ...accountsBesidePeople(text, people)];
    if (beside.length > 0) found = resolve(text.length, [...found, ...beside], keeps);
  }
  return { found, keeps };
}

/** Adds the other mentions of people already known (from this text or the rest of a JSON value). */
export function withKnown(text: string, level: Level, analysis: Analysis, known: KnownPeople): Candidate[] {
  if (!LEVEL_TYPES[level].has("PERSON") || known.size === 0) return analysis.found;
  const more = recurring(text, analysis.found, analysis.keeps, known);
  return more.length === 0 ? analysis.found : [...analysis.found, ...more].sort((a, b) => a.start - b.start);
}
