/**
 * Dates tied to a person (DATE_OF_BIRTH in the README's sense: birth, admission, discharge, death).
 * A date counts when a label says so; an unlabelled full date from long ago is most likely a birth
 * date in a ticket, since maintenance windows, log lines and releases are recent.
 */
import type { Candidate } from "../candidates.ts";
import { precededBy } from "../context.ts";
import { tableCells } from "../tables.ts";

const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" +
  "oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const D = "(?:0?[1-9]|[12]\\d|3[01])";
const M = "(?:0?[1-9]|1[0-2])";
const Y4 = "(?:19|20)\\d{2}";
export const DATE = [
  `${Y4}[-/.]${M}[-/.]${D}`, // 1984-02-29
  `${M}[-/.]${D}[-/.](?:${Y4}|\\d{2})`, // 08/15/1958, 4/2/77, 03-22-1991
  `${MONTH}\\s+${D}(?:st|nd|rd|th)?,?\\s+(?:${Y4}|['’]\\d{2}(?!\\d))`, // September 9, 1966; March 14, '62
  `${Y4}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-${D}`, // 1955-Oct-03
  `${D}(?:st|nd|rd|th)?[\\s-]+${MONTH}[\\s,-]+(?:${Y4}|\\d{2}(?!\\d))`, // 9 September 1966, 09-SEP-1966, 30-Nov-62
  `${D}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)${Y4}`, // 05JAN1962
  `${D}(?:st|nd|rd|th)?\\s+of\\s+${MONTH},?\\s+${Y4}`, // the 3rd of March 2025
].join("|");
const COMPACT = `(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])`; // 19520711, only under a label

/**
 * Labels of dates tied to a person: birth and death, and the events of their care (admission,
 * discharge, an appointment, a visit, the date of service, a procedure, a vaccination).
 */
const LABEL =
  "d\\.?o\\.?b\\.?|b-?day|date\\s+of\\s+(?:birth|death|admission|discharge|service|visit|injury|surgery|" +
  "procedure|onset)|" +
  "birth\\s*date|birthday|born|b\\.|passed\\s+away|admi(?:tted|ssion|t)(?:\\s+date)?|discharged?(?:\\s+date)?|" +
  "d\\.?o\\.?d\\.?|died|deceased|death|" +
  "d\\.?o\\.?s\\.?|dos|service\\s+date|visit(?:\\s+date)?|(?<!last\\s)seen|appt\\.?(?:\\s+date)?|" +
  "appointment(?:\\s+date)?|" +
  "encounter(?:\\s+date)?|surgery(?:\\s+date)?|procedure(?:\\s+date)?|vaccinated|vaccination|immunized|" +
  "follow[- ]up|f/u|consult(?:ation)?|lmp|edd|due\\s+date|d\\.?o\\.?i\\.?|injury(?:\\s+date)?|accident(?:\\s+date)?|" +
  "(?:pt|patient)\\s+expired|time\\s+of\\s+death|collect(?:ed|ion)(?:\\s+date)?|drawn|specimen|exam(?:\\s+date)?|" +
  "dose|immunization|pid-7|pid-29|pv1-4[45]|" +
  '"?(?:dob|birth_?date|date_?of_?birth|admit_?date|discharge_?date|appt_?date|visit_?date|service_?date|dos)"?';
const CONNECT = `(?:[\\s:#=("'/-]|\\b(?:on|is|of|for|was|date|d)\\b){0,6}`;
/** A date ends at a non-alphanumeric or at the time of an ISO timestamp ("1962-11-30T00:00:00Z"). */
const DATE_END = "(?![\\p{L}\\p{N}](?<!T(?=\\d)))";
/**
 * Where a label may start, found without the u flag (a scan with it is several times slower); the
 * full pattern is then tried there only.
 */
const LABEL_STARTS = new RegExp(
  "\\b(?:d\\.?o|b-?day|date|birth|born|b\\.|passed|admi|discharg|died|deceased|death|dos|service|visit|seen|" +
    "appt|appointment|encounter|surgery|procedure|vaccin|immuniz|follow|f/u|consult|lmp|edd|due|doi|d\\.o\\.i|" +
    'injury|accident|pt|patient|time|collect|drawn|specimen|exam|dose|pid-|pv1-)|"',
  "gi",
);
/** Under a label, a day and month without the year is the person's too ("appt 04/17", "seen 3/4"). */
const NO_YEAR = `(?:${M}/${D}(?![/\\d])|${MONTH}\\s+${D}(?:st|nd|rd|th)?(?![,\\d]|\\s+\\d))`;
/** Day first, as most of the world writes it: "25.03.1985", "25/03/1985" (only under a label). */
const DAY_FIRST = `(?:1[3-9]|2\\d|3[01])[-/.]${M}[-/.]${Y4}`;
/** A few words may stand between the label and the date, in the same clause ("discharged home on 3/6/2025"). */
// Not across a quote: in JSON that is the next field ("visit_type": "telehealth", "build": "2024.11.2").
const BETWEEN = '(?:(?![.;!?]\\s|\\n)[^\\d\\n"]){0,40}?';
const LABELLED = new RegExp(
  // A label ends its word: "visit_type" and "dosage" are no labels.
  `(?:${LABEL})(?![\\p{L}_])${CONNECT}${BETWEEN}(${DATE}|${COMPACT}|${DAY_FIRST}|${NO_YEAR})${DATE_END}`,
  "iuy",
);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const UNLABELLED = new RegExp(`(?<![\\p{L}\\p{N}/.-])(?:${DATE})(?![\\p{L}\\p{N}]|[/.-]\\d)`, "giu");
/** A table column of such dates: "dob", "appt_date", "Admit Date", "DOS". */
const DATE_HEADER = new RegExp(
  "^(?:(?:patient |pt )?(?:dob|d o b|born|bday|date of (?:birth|death|admission|discharge|service|visit)|" +
    "birth ?date|birthday|" +
    "admit(?:ted)?(?: date)?|admission(?: date)?|discharge(?:d)?(?: date)?|dod|death date|dos|service date|" +
    "visit(?: date)?|appt(?: date)?|appointment(?: date)?|encounter date|surgery date|procedure date|seen))$",
  "i",
);
const NOT_BIRTH = new Set([
  "installed",
  "purchased",
  "warranty",
  "expires",
  "expired",
  "since",
  "released",
  "build",
  "version",
  "dated",
  "invoice",
  "renewal",
  "contract",
  "effective",
  "through",
  "until",
  "from",
  "to",
  "created",
  "modified",
  // What an IT thing's dates are called: "renewal date is 2011-09-30", "BIOS released on 2012-08-14".
  "release",
  "renewed",
  "updated",
  "patched",
  "deployed",
  "expiry",
  "expiration",
  "eol",
  "published",
  "firmware",
  "bios",
  "license",
  "licence",
  "subscription",
  "purchase",
  "shipped",
  "manufactured",
  "mfg",
  "backup",
]);
/** Dates this many years old or more are taken for birth dates when unlabelled. */
const OLD_YEARS = 15;

const WHOLE_DATE = new RegExp(`^(?:${DATE}|${COMPACT})$`, "iu");

export function personDates(text: string, now = new Date()): Candidate[] {
  const out: Candidate[] = [];
  let after = 0;
  for (const l of text.matchAll(LABEL_STARTS)) {
    if (l.index < after || WORD_CHAR.test(text[l.index - 1] ?? "")) continue;
    LABELLED.lastIndex = l.index;
    const m = LABELLED.exec(text);
    if (!m) continue;
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ type: "DATE_OF_BIRTH", start, end: start + m[1]!.length, score: 75 });
    after = start + m[1]!.length;
  }
  for (const cell of tableCells(text)) {
    if (DATE_HEADER.test(cell.header) && WHOLE_DATE.test(cell.value)) {
      out.push({ type: "DATE_OF_BIRTH", start: cell.start, end: cell.end, score: 72 });
    }
  }
  const cutoff = now.getFullYear() - OLD_YEARS;
  for (const m of text.matchAll(UNLABELLED)) {
    const year = yearOf(m[0]);
    // Three words back: "renewal date is 2011-09-30".
    if (year === null || year > cutoff || precededBy(text, m.index, NOT_BIRTH, 3)) continue;
    out.push({ type: "DATE_OF_BIRTH", start: m.index, end: m.index + m[0].length, score: 40 });
  }
  return out;
}

function yearOf(date: string): number | null {
  const four = /(?:19|20)\d{2}(?!\d)/.exec(date);
  if (four) return Number(four[0]);
  const two = /\d{2}$/.exec(date);
  if (!two) return null;
  const yy = Number(two[0]);
  // Two-digit years: "77" is 1977; "24" is 2024, too recent to be taken for a birth date unlabelled.
  return yy > 30 ? 1900 + yy : 2000 + yy;
}

/**
 * Dates written beside a person's name, in the same line and within a few words ("Client Bjørn
 * Ødegård (appt 04/17/2025…", "Smith, John 1948-07-19"): tied to that person. `people` are the
 * spans of the names found.
 */
export function datesBesidePeople(text: string, people: { start: number; end: number }[]): Candidate[] {
  const out: Candidate[] = [];
  if (people.length === 0) return out;
  for (const m of text.matchAll(UNLABELLED)) {
    if (precededBy(text, m.index, NOT_BIRTH, 2)) continue;
    const end = m.index + m[0].length;
    const near = people.some((p) => {
      const between = p.end <= m.index ? text.slice(p.end, m.index) : p.start >= end ? text.slice(end, p.start) : null;
      // In the same clause: a sentence's end or a new line between them parts them.
      return between !== null && !/[.;!?]\s|\n/.test(between) && between.length <= (p.end <= m.index ? 40 : 20);
    });
    if (near) out.push({ type: "DATE_OF_BIRTH", start: m.index, end, score: 45 });
  }
  return out;
}
