/** US SSNs, payment cards and IBANs, each confirmed by its issuing rules or check digits. */
import type { Candidate } from "../candidates.ts";
import { cardValid, ibanValid, ssnValid } from "../checksums.ts";
import { B_END, B_START, precededBy } from "../context.ts";

const SSN_SEPARATED = new RegExp(`${B_START}\\d{3}([- .])\\d{2}\\1\\d{4}${B_END}(?![.-]\\d)`, "gu");
const NINE_DIGITS = new RegExp(`${B_START}\\d{9}${B_END}`, "gu");
const SSN_WORDS = new Set(["ssn", "ss", "ss#", "social", "security", "sin", "tin", "taxpayer"]);
/** Forms and words that make a bare 9-digit number in the same text likely an SSN. */
const SSN_DOCUMENT = /\b(?:ssn|social security|i-?9|w-?[249]|1099|taxpayer|tin|document numbers?)\b/i;
/** Labels under which a 9-digit number is something else. */
const NOT_SSN = new Set([
  "case",
  "ticket",
  "tracking",
  "order",
  "invoice",
  "po",
  "account",
  "acct",
  "serial",
  "tag",
  "build",
  "kb",
  "ref",
  "reference",
  "confirmation",
  "claim",
  "npi",
  "mrn",
  "member",
  "routing",
  "aba",
  "passport",
  "policy",
  "incident",
  "rma",
  "sid",
  "fbi",
  "booking",
  "license",
  "dl",
  "chart",
  "id",
]);

export function ssns(text: string): Candidate[] {
  const out: Candidate[] = [];
  const documentCue = SSN_DOCUMENT.test(text);
  for (const m of text.matchAll(SSN_SEPARATED)) {
    if (!ssnValid(m[0].replace(/\D/g, ""))) continue;
    // "123 45 6789" with spaces is an SSN under an SSN word, or in a text that names SSNs ("SSN … for one
    // hire and 661 42 7730 for another"); dashes say it alone.
    const labelled = m[1] === "-" || precededBy(text, m.index, SSN_WORDS, 4);
    if (!labelled && !documentCue) continue;
    out.push({ type: "US_SSN", start: m.index, end: m.index + m[0].length, score: labelled ? 80 : 66 });
  }
  for (const m of text.matchAll(NINE_DIGITS)) {
    if (!ssnValid(m[0]) || precededBy(text, m.index, NOT_SSN, 2)) continue;
    const labelled = precededBy(text, m.index, SSN_WORDS, 3);
    if (!labelled && !documentCue) continue;
    out.push({ type: "US_SSN", start: m.index, end: m.index + 9, score: labelled ? 80 : 45 });
  }
  return out;
}

const CARD = new RegExp(
  `${B_START}(?:\\d{4}([ -]?)\\d{4}\\1\\d{4}\\1\\d{1,7}|\\d{4}([ -]?)\\d{6}\\2\\d{4,5}|\\d{13,19})${B_END}(?![.-]\\d)`,
  "gu",
);
const NOT_CARD = new Set(["tracking", "order", "invoice", "imei", "serial", "iccid", "sim"]);
const CARD_WORDS = new Set(["card", "visa", "amex", "mastercard", "discover", "cc", "credit", "debit"]);

export function cards(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(CARD)) {
    if (!cardValid(m[0].replace(/\D/g, ""))) continue;
    // "The invoice lists card 6584…" is a card; "tracking 7726…" and "order 4659…" are not.
    if (!precededBy(text, m.index, CARD_WORDS, 2) && precededBy(text, m.index, NOT_CARD, 2)) continue;
    out.push({ type: "CREDIT_CARD", start: m.index, end: m.index + m[0].length, score: 85 });
  }
  return out;
}

const IBAN_RUN = new RegExp(`${B_START}[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){8,32}`, "gu");

export function ibans(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IBAN_RUN)) {
    // The run may carry on into a following word or number: try its prefixes, longest first.
    const run = m[0];
    for (let end = run.length; end >= 12; end--) {
      if (run[end - 1] === " " || /[A-Z0-9]/.test(run[end] ?? "") === true) continue;
      if (ibanValid(run.slice(0, end))) {
        out.push({ type: "IBAN_CODE", start: m.index, end: m.index + end, score: 85 });
        break;
      }
    }
  }
  return out;
}
