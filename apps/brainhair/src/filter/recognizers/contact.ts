/** Email addresses and phone numbers. */
import type { Candidate } from "../candidates.ts";
import { B_END, B_START, precededBy } from "../context.ts";

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

export function emails(text: string): Candidate[] {
  return [...text.matchAll(EMAIL)].map((m) => ({
    type: "EMAIL_ADDRESS" as const,
    start: m.index,
    end: m.index + m[0].length,
    score: 90,
  }));
}

// NANP: an area code never starts with 0 or 1. Written with separators ("(406) 555-0123", and the
// made-up "555-123-4567" people type) any exchange counts; a bare run of digits must be a real one.
const SEPARATED = String.raw`(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])(?:\d{3}[\s.-]\d{4}|\d{7})`;
const NANP = String.raw`(?:\+?1[\s.-]?)?(?:${SEPARATED}|[2-9]\d{2}[2-9]\d{6})`;
const INTL = String.raw`\+(?:[2-9]\d{0,2})(?:[\s.-]?\d{1,4}){2,5}`;
/** A number dialled within another country, its trunk 0 first: "07700 900123", "030 901820". */
const NATIONAL = new RegExp(`${B_START}0[1-9]\\d{0,4}[\\s.-]\\d{3,4}(?:[\\s.-]?\\d{3,4})?${B_END}(?![.-]\\d)`, "gu");
/** The international prefix dialled from Europe and most of the world: "0044 7700 900461". */
const DIALLED_INTL = new RegExp(`${B_START}00[1-9]\\d{0,2}(?:[\\s.-]\\d{1,6}){1,6}${B_END}(?![.-]\\d)`, "gu");
const PHONE = new RegExp(`${B_START}(?<!\\+)(?:${NANP}|${INTL})${B_END}(?![.-]\\d)`, "gu");
const PHONE_WORDS = new Set([
  "phone",
  "tel",
  "telephone",
  "cell",
  "mobile",
  "fax",
  "call",
  "called",
  "text",
  "sms",
  "number",
  "ph",
  "ext",
  "callback",
  "contact",
  "reach",
  "line",
  "voicemail",
  "dial",
  "dialed",
  "caller",
  "direct",
  "office",
  "home",
  "work",
  "pager",
  "extension",
  "x",
  "at",
]);
// Digits that are something else when a word like these sits just before them.
const NOT_PHONE = new Set([
  "npi",
  "dea",
  "mrn",
  "ssn",
  "account",
  "acct",
  "order",
  "invoice",
  "tracking",
  "case",
  "ticket",
  "serial",
  "license",
  "member",
  "policy",
  "claim",
  "routing",
  "card",
  "id",
  "po",
  "sid",
  "fbi",
  "booking",
]);

/** A local number without its area code ("call 555-0142", "x: 555.0188"), only after a phone word. */
const LOCAL = new RegExp(`${B_START}[2-9]\\d{2}[-.]\\d{4}${B_END}(?![.-]\\d)`, "gu");

export function phones(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(LOCAL)) {
    if (!precededBy(text, m.index, PHONE_WORDS, 3) || precededBy(text, m.index, NOT_PHONE, 2)) continue;
    out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + m[0].length, score: 55 });
  }
  // Zeros and digits in groups are as often a serial or an amount: only after a phone word.
  for (const m of [...text.matchAll(DIALLED_INTL), ...text.matchAll(NATIONAL)]) {
    const digits = m[0].replace(/\D/g, "").length;
    if (digits < 10 || digits > 17 || !precededBy(text, m.index, PHONE_WORDS, 3)) continue;
    out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + m[0].length, score: 60 });
  }
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length < 8 || digits.length > 15) continue;
    const separated = /[\s().-]/.test(m[0]) || m[0].startsWith("+");
    // A bare run of 10 digits is a phone only when a phone word says so.
    if (!separated && !precededBy(text, m.index, PHONE_WORDS, 4)) continue;
    if (precededBy(text, m.index, NOT_PHONE, 2)) continue;
    out.push({ type: "PHONE_NUMBER", start: m.index, end: m.index + m[0].length, score: 60 });
  }
  return out;
}
