/** Scores a way of reading words as a name: how name-like its words are plus the cues around it. */
import { isKnownPlace } from "../recognizers/places.ts";
import { STATE_NAMES } from "../recognizers/us-states.ts";
import { cueAfter, PREPOSITION_CUE } from "./context-cues.ts";
import { matchesEmail } from "./email-hints.ts";
import type { Likeness } from "./likeness.ts";
import type { Shape } from "./inverted.ts";
import type { Token } from "./tokens.ts";

/** What a candidate needs: likeness of its words plus cues, at least this. */
export const BAR = 1;
/** A name in lower case or capitals with no cue needs more, as such words are more often not names. */
const BAR_UNCUED_ODD_CASE = 1.4;
/** What two words that are no English ones need with no cue, whichever list knows them or none. */
const BAR_FOREIGN_PAIR = 1;
const STATES = new Set(STATE_NAMES.map((s) => s.toLowerCase()));

export interface Scored {
  total: number;
  passes: boolean;
}

function lexicalScore(shape: Shape, like: Likeness[], tokens: Token[]): number | null {
  const last = like[shape.surname.at(-1)!]!;
  if (last.surname <= -1) return null;
  if (shape.first === undefined) return last.surname;
  const first = like[shape.first]!;
  if (first.first <= -1) return null;
  for (let k = shape.first + 1; k < shape.surname[0]!; k++) {
    // A middle name: a first name, or a word that is no everyday English one ("Wiremu Tāne Ngata").
    if (tokens[k]!.shape !== "initial" && like[k]!.first < 0.3 && (like[k]!.english || like[k]!.surname <= -1)) {
      return null;
    }
  }
  const middleInitial = shape.first > shape.surname[0]! && tokens[shape.end]!.shape === "initial";
  if (shape.first > shape.surname[0]! && shape.end > shape.first && !middleInitial) {
    // "Last, First Middle": the middle word must read as a name too, not an English word ("Bui, Linh Called").
    const middle = like[shape.end]!;
    if (middle.first < 0.3 && (middle.english || middle.surname <= -1)) return null;
  }
  // "Gutierrez, Maria Jose": a third name word makes the whole the name, over "Maria Jose" read forward.
  const middleName = shape.first > shape.surname[0]! && shape.end > shape.first && !middleInitial;
  let score = first.first + last.surname;
  // "Last, First" is rarer than "First Last": a list of two names must read forward.
  if (shape.first > shape.surname[0]!) score -= 0.2;
  // "Mwangi, Wanjiru K.": a middle initial after the given name is how lists and records write names.
  if (middleInitial || middleName) score += middleName ? 0.4 : 0.3;
  const particle = shape.surname.length > 1;
  if (particle) score += 0.3;
  // Two words that are no English word side by side ("Selam Tesfaye", "Faisal Qureshi") read as a name.
  if (!first.english && !last.english) score += 0.2;
  return score;
}

/** The candidate's likeness plus cues, and whether that is enough on its own (`passes`). */
export function score(
  text: string,
  tokens: Token[],
  like: Likeness[],
  shape: Shape,
  before: number,
  hints: ReadonlySet<string>,
): Scored | null {
  const lexical = lexicalScore(shape, like, tokens);
  if (lexical === null) return null;
  const endTok = tokens[shape.end]!;
  // A preposition is a cue for some names only ("to Tupac Kaleikini", not "to Grand Rapids").
  const cueBefore = before === PREPOSITION_CUE && !prepositionLifts(shape, tokens, like) ? 0 : before;
  let cue = cueBefore + cueAfter(text, endTok.end, tokens[shape.end + 1]);
  const first = shape.first === undefined ? undefined : tokens[shape.first]!.lower;
  const surname = shape.surname.map((k) => tokens[k]!.lower);
  if (matchesEmail(hints, first, surname)) cue += 1;
  // One word alone is a name only after a title or in a surname field, whatever else is around, and
  // not an everyday word ("Officer on duty").
  if (shape.first === undefined && (before < 1 || like[shape.surname[0]!]!.surname < 0.1)) return null;
  // With no cue, a place's name ("Los Lunas", "Santa Fe") is the place, nor carried by a name beside it.
  if (cue <= 0 && shape.first !== undefined && isKnownPlace(wordsOf(shape, tokens))) return null;
  const total = lexical + cue;
  return { total, passes: total >= BAR && (cue > 0 || uncuedPlausible(shape, like, tokens, total)) };
}

/** With no cue at all, both words must look like names, and more so in lower case or capitals. */
function uncuedPlausible(shape: Shape, like: Likeness[], tokens: Token[], total: number): boolean {
  if (shape.first === undefined) return false;
  const first = like[shape.first]!;
  const last = like[shape.surname.at(-1)!]!;
  // A known first name before a word no list has ("Ximena Oyelaran") is still a name.
  const rareSurname = first.first >= 0.5 && !first.english && !last.english && last.surname >= 0.15;
  // Two words no dictionary has that read as names together ("Selamawit Haile", "Xiaoming Zhang").
  const foreignPair = !first.english && !last.english && total >= BAR_FOREIGN_PAIR;
  if (!foreignPair && (first.first < 0.3 || (last.surname < 0.3 && !rareSurname))) return false;
  if (tokens[shape.first]!.shape === "cap") return true;
  // Capitals in a log line ("LOGIN FAILED YERLAN ABENOV"): two words no dictionary has, read as names.
  // Acronyms are short ("APC SMART-UPS"): in capitals, each word has four letters or more.
  const words = [shape.first, ...shape.surname].map((k) => tokens[k]!);
  if (words[0]!.shape === "upper" && foreignPair && words.every((t) => t.text.length >= 4)) return true;
  return total >= BAR_UNCUED_ODD_CASE && !first.wordy && !last.wordy;
}

/** The candidate's words as written, given name first ("San Ysidro"). */
const wordsOf = (shape: Shape, tokens: Token[]): string =>
  [shape.first!, ...shape.surname].map((k) => tokens[k]!.text).join(" ");

/** A preposition lifts two words no dictionary has and that name no state or place ("for Ohio Medicaid"). */
function prepositionLifts(shape: Shape, tokens: Token[], like: Likeness[]): boolean {
  if (shape.first === undefined) return false;
  const words = [shape.first, ...shape.surname];
  if (words.some((k) => like[k]!.english)) return false;
  const first = tokens[shape.first]!;
  const pair = `${first.text} ${tokens[shape.surname[0]!]!.text}`;
  return !STATES.has(first.lower) && !isKnownPlace(first.text) && !isKnownPlace(pair);
}
