/** Scores the cues before and after a candidate name (see cues.ts for the word lists). */
import { CREDENTIALS, LABELS, PHRASES, ROLES, ROLES_AFTER, SIGN_OFFS, TITLES, VERBS_AFTER } from "./cues.ts";
import { STATE_WORD } from "../recognizers/id-context.ts";
import { PARTICLES } from "./likeness.ts";
import type { Token } from "./tokens.ts";

const PARTICLE_WORDS = PARTICLES;

export interface Before {
  score: number;
  /** A title stands before the name: a single word after it is a surname. */
  title: boolean;
  /** The name is the value of a field that holds a surname only ("last_name"). */
  surnameField: boolean;
}

/** JSON keys and form fields that hold a person's name, with `_`, `-` and spaces removed. */
const NAME_KEYS = new Set([
  "name",
  "fullname",
  "patient",
  "patientname",
  "requester",
  "requestername",
  "requestor",
  "contact",
  "contactname",
  "defendant",
  "officer",
  "caller",
  "technician",
  "tech",
  "assignedto",
  "assignee",
  "displayname",
  "employee",
  "employeename",
  "provider",
  "physician",
  "doctor",
  "owner",
  "createdby",
  "submittedby",
  "reportedby",
  "driver",
  "inmate",
  "arrestee",
  "suspect",
  "victim",
  "witness",
  "applicant",
  "attorney",
  "judge",
  "clerk",
  "user",
  "username",
  "customer",
  "client",
  "resident",
  "member",
  "subscriber",
  "insured",
  "guarantor",
  "subject",
  "party",
  "name",
  "fullname",
  "patientname",
  "inmatename",
  "subjectname",
  "defendantname",
  "clientname",
  "membername",
  "insuredname",
  "subscribername",
  "guarantorname",
  "primaryuser",
  "interpreter",
  "nurse",
  "student",
  "traveller",
  "traveler",
  "passenger",
  "cardholdername",
]);
const SURNAME_KEYS = new Set(["lastname", "surname", "familyname"]);
const PHRASE_SET = new Set(PHRASES);
const SEPARATORS = new Set([" ", "\t", "\n", ":", ","]);
const LONGEST_PHRASE = Math.max(...PHRASES.map((p) => p.split(" ").length));
/** The words phrases end with: any other word right before a name ends none of them. */
const PHRASE_ENDS = new Set(PHRASES.map((p) => p.split(" ").at(-1)!));

/** The text before a name ends with one of PHRASES ("spoke with", "this is"), then spaces or a colon. */
function afterPhrase(before: string): boolean {
  let end = before.length;
  while (end > 0 && SEPARATORS.has(before[end - 1]!)) end--;
  if (end === before.length || end === 0) return false;
  // Grow the phrase word by word backwards from the name; the first word of `before` may be cut.
  let phrase = "";
  for (let k = 0, to = end; k < LONGEST_PHRASE && to > 0; k++) {
    const from = before.lastIndexOf(" ", to - 1) + 1;
    if (from === 0 && before.length >= 40) return false;
    const word = before.slice(from, to).toLowerCase().replace("’", "'");
    if (phrase === "" && !PHRASE_ENDS.has(word)) return false;
    phrase = phrase === "" ? word : `${word} ${phrase}`;
    if (PHRASE_SET.has(phrase)) return true;
    to = from - 1;
  }
  return false;
}

const INLINE_SIGNATURE = /[.!?]\s+(?:—|–|--)\s?$/;
const PREPOSITIONS = new Set(["to", "with", "from", "for", "by"]);
/** Weak: a place or a product follows these as often, so it only lifts names whose words are no English ones. */
export const PREPOSITION_CUE = 0.3;

const KEY_RE = /"([\w -]{1,40})"\s*:\s*"$/;
const CHAT_PREFIX = /^\s*(?:\[[^\]\n]*\]\s*)?[\w.-]+:\s*$/;

/** `headers`: the column header of each table cell, by the cell's start offset (tables.ts). */
export function cueBefore(text: string, tokens: Token[], i: number, headers: ReadonlyMap<number, string>): Before {
  const start = tokens[i]!.start;
  const header = headers.get(start)?.replace(/[\s_-]/g, "");
  if (header !== undefined) {
    if (SURNAME_KEYS.has(header)) return { score: 1, title: true, surnameField: true };
    if (NAME_KEYS.has(header)) return { score: 1, title: false, surnameField: false };
  }
  const lineStart = lineStartBefore(text, start);
  const before = text.slice(Math.max(lineStart, start - 40), start);
  const key = KEY_RE.exec(before)?.[1]
    ?.toLowerCase()
    .replace(/[\s_-]/g, "");
  if (key !== undefined) {
    if (SURNAME_KEYS.has(key)) return { score: 1, title: true, surnameField: true };
    return { score: NAME_KEYS.has(key) ? 1 : 0, title: false, surnameField: false };
  }
  const prev = tokens[i - 1];
  const between = prev ? text.slice(prev.end, start) : "";
  if (titledAt(text, tokens, i)) return { score: 1, title: true, surnameField: false };
  if (prev && LABELS.has(prev.lower) && /^\s*:\s*$/.test(between))
    return { score: 1, title: false, surnameField: false };
  if (afterPhrase(before)) return { score: 0.8, title: false, surnameField: false };
  if (prev && ROLES.has(prev.lower) && /^(?:\s{1,2}|, )$/.test(between))
    return { score: 0.6, title: false, surnameField: false };
  // "goes to Tupac Kaleikini", "a call with Hodan Warsame": a preposition that takes people, mid-sentence.
  if (prev && prev.shape === "lower" && PREPOSITIONS.has(prev.lower) && /^ {1,2}$/.test(between))
    return { score: PREPOSITION_CUE, title: false, surnameField: false };
  if (lineStart < 0) return { score: 0, title: false, surnameField: false };
  // "Toner is low. — Adaora Nwosu": a dash after a sentence, then a name, signs the message on its line.
  if (INLINE_SIGNATURE.test(text.slice(lineStart, start))) return { score: 0.8, title: false, surnameField: false };
  if (signatureLine(text, lineStart) && text.slice(lineStart, start).trim() === "") {
    return { score: 1, title: false, surnameField: false };
  }
  // A chat line's speaker prefix ("[12:10] billing-kim:") is not a cue, but the message may start with a name.
  if (CHAT_PREFIX.test(text.slice(lineStart, start))) return { score: 0.2, title: false, surnameField: false };
  return { score: 0, title: false, surnameField: false };
}

/** "Ms." or "Officer" is a title; "45 ms on" is not: a short title needs its capital or its period. */
const isTitle = (t: Token): boolean =>
  TITLES.has(t.lower) && (t.lower.length > 3 || t.shape !== "lower" || t.dot || LOWER_RANKS.has(t.lower));
/** Ranks no everyday word is spelt like, titles even in lower-case chat ("sgt hendricks"). */
const LOWER_RANKS = new Set(["mrs", "mr", "sgt", "cpl", "ofc", "det", "capt", "tpr", "dep", "insp", "supt", "atty"]);
const close = (text: string, a: Token, b: Token): boolean => /^\.? {1,2}$/.test(text.slice(a.end, b.start));

/**
 * A title stands before token i, past initials ("Dr. T. Hollis") and a chain of titles and rank
 * abbreviations ("Chief PO Hendricks", "Detective Sgt. Ó Briain"), past name particles too.
 */
function titledAt(text: string, tokens: Token[], i: number): boolean {
  let k = i - 1;
  // Particles and initials between the title and the surname: "Sgt. Ó Briain", "Dr. T. Hollis".
  while (k >= 0 && k >= i - 3 && (tokens[k]!.shape === "initial" || PARTICLE_WORDS.has(tokens[k]!.lower))) {
    if (!close(text, tokens[k]!, tokens[k + 1]!)) return false;
    k--;
  }
  let titles = 0;
  while (k >= 0 && i - k <= 5) {
    const t = tokens[k]!;
    if (!close(text, t, tokens[k + 1]!)) break;
    if (isTitle(t)) {
      titles++;
      k--;
    } else if (/^[A-Z]{2,3}$/.test(t.text) && k > 0 && isTitle(tokens[k - 1]!) && close(text, tokens[k - 1]!, t)) {
      // A rank abbreviation inside a chain of titles: "Chief PO Hendricks".
      k--;
    } else break;
  }
  return titles > 0;
}

/**
 * Where the line holding `pos` starts, looking back at most LINE_LOOKBACK characters (-1 when it
 * starts further back): cues sit near a name, and an unbounded search would make long one-line
 * texts quadratic.
 */
const LINE_LOOKBACK = 120;
function lineStartBefore(text: string, pos: number): number {
  const from = Math.max(0, pos - LINE_LOOKBACK);
  for (let i = pos - 1; i >= from; i--) if (text[i] === "\n") return i + 1;
  return from === 0 ? 0 : -1;
}

/** The line starting at `lineStart` follows a sign-off ("Thanks,", "--") or is a signature's first line. */
function signatureLine(text: string, lineStart: number): boolean {
  if (lineStart === 0) return false;
  const prevEnd = lineStart - 1;
  const prevStart = lineStartBefore(text, prevEnd);
  if (prevStart < 0) return false;
  return SIGN_OFFS.test(text.slice(prevStart, prevEnd).trim());
}

const AFTER_ID = new RegExp(
  `^\\s*[,(]?\\s*(?:${STATE_WORD}\\s+)?(?:ssn|dob|d\\.o\\.b|mrn|member|npi|dea|dl|cdl|date of birth|born|age|` +
    "sid|fbi|booking|" +
    "license|licence|passport|phone|cell|ph|tel|mbi|medicaid|medicare|chart|acct|account|inmate|case|docket)\\b",
  "iu",
);
const AFTER_ADDRESS = /^,\s*(?:\d{1,6}\s+\p{Lu}|p\.?\s?o\.?\s*box)/iu;
const AFTER_EMAIL = /^\s*[<(][^\s<>()@]+@/;
/** Race and sex as dispatch writes them after a name: "W/M 35", "B/F", "H/M". */
const AFTER_DESCRIPTOR = /^[\s,(]+[WBHAIU]\/[MF]\b/;
/** A record's next field a full date, as a birth date follows a name in exports: "Abenov,Yerlan,1974-03-01". */
const AFTER_DATE_FIELD = /^\s*[,;|\t]\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4})\b/;
const AFTER_IS_ROLE = /^\s+(?:is|was)\s+(?:a|an|the|our|their|his|her)\s+([\p{L}-]+)/iu;

const ROLE_WORDS = [...new Set([...ROLES, ...ROLES_AFTER])].join("|");
/**
 * A role set off after the name, a word or two before it: ", medical assistant.", ", the night
 * jailer, says", " (front desk)". The role ends its phrase.
 */
const NOT_BEFORE_ROLE = "(?!(?:and|or|but|so|then|is|was|are|to|of|for|in|at|on|with)\\b)";
export const APPOSITIVE = new RegExp(
  `^\\s*(?:,|\\(|-|–)\\s*(?:(?:the|our|their|his|her|a|an)\\s+)?(?:${NOT_BEFORE_ROLE}[\\p{L}-]+\\s+){0,2}?` +
    `(?:${ROLE_WORDS})s?` +
    "(?=\\s*(?:[,.;:)\\n]|$)|\\s+(?:at|for|in|of|from|with|on)\\b)",
  "iu",
);

/** What a person has and a company or product has not: "Bongani Dlamini's mailbox", "…'s wife". */
const POSSESSION = new RegExp(
  "^['’]s\\s+(?:new\\s+|old\\s+|work\\s+|personal\\s+)?(?:laptop|mailbox|account|password|phone|cell|computer|pc|" +
    "desktop|desk|email|calendar|badge|login|profile|onedrive|workstation|headset|voicemail|signature|inbox|chart|" +
    "appointment|appt|results|labs|insurance|husband|wife|son|daughter|mother|father|spouse|caseworker)\\b",
  "i",
);

const ADVERBS = new Set(["still", "also", "just", "now", "again", "never", "really", "finally", "already", "only"]);
const VERB_AFTER_ADVERB = new RegExp(
  `^ {1,2}(?:${[...VERBS_AFTER].map((v) => v.replace("'", "['’]")).join("|")})\\b`,
  "i",
);

export function cueAfter(text: string, end: number, next: Token | undefined): number {
  const after = text.slice(end, end + 60);
  const cred = /^,?\s+([A-Z][A-Za-z-]{1,7})\b/.exec(after)?.[1];
  if (cred && CREDENTIALS.has(cred.toLowerCase()) && cred === cred.toUpperCase()) return 1;
  if (AFTER_EMAIL.test(after)) return 1;
  if (AFTER_DESCRIPTOR.test(after)) return 0.8;
  if (AFTER_DATE_FIELD.test(after)) return 0.3;
  const role = /^\s*(?:,|\(|-|–)\s*([\p{L}]+)/u.exec(after)?.[1]?.toLowerCase();
  if (role && ROLES_AFTER.has(role)) return 0.6;
  if (APPOSITIVE.test(after)) return 0.6;
  if (AFTER_ADDRESS.test(after) || AFTER_ID.test(after)) return 0.6;
  const isRole = AFTER_IS_ROLE.exec(after)?.[1]?.toLowerCase();
  if (isRole && (ROLES.has(isRole) || ROLES_AFTER.has(isRole))) return 0.6;
  if (POSSESSION.test(after)) return 0.8;
  if (next && next.start - end <= 2 && VERBS_AFTER.has(next.lower)) return 0.3;
  // "Selamawit Haile still cannot": an adverb between the name and its verb.
  if (
    next &&
    next.start - end <= 2 &&
    ADVERBS.has(next.lower) &&
    VERB_AFTER_ADVERB.test(text.slice(next.end, next.end + 20))
  )
    return 0.3;
  // "Kiri Waititi - cannot login": a verb after a dash.
  if (next && /^\s*[-–—]\s*$/.test(text.slice(end, next.start)) && VERBS_AFTER.has(next.lower)) return 0.3;
  return 0;
}
