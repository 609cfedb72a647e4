/**
 * Court case and docket numbers by their shape: a year, a case-type code, a sequence ("2024-CM-00391",
 * "23-CR-04410", "2024CF001284", "24-3-01122-1"), the code first ("CR-2025-000418", "CF-2024-1234",
 * "CR01-25-11802"), in federal courts after the division and with the judge's initials ("2:24-cv-01193",
 * "1:24-cr-00123-ABC"); and FBI numbers (UCNs), whose shape (six or seven digits, two letters, a check
 * digit: "612835PB7") little else has, in a law-enforcement text. After a caption ("Okafor v.
 * Lindqvist", "In re the Marriage of …"), "No." names the case's number whatever its shape.
 */
import type { Candidate } from "../candidates.ts";
import { B_END, B_START } from "../context.ts";
import { CJIS_CONTEXT } from "./id-context.ts";

const CODE = "(?:CR|CF|CM|CV|CT|CI|CC|CA|DR|DV|JV|JD|JW|TR|MC|MI|MM|MO|FE|FA|FC|PR|SC|SA|GS|IF|PO|RO|OP)";
const SHAPES = [
  "(?:\\d{1,2}:)?(?:19|20)?\\d{2}-?(?:[A-Z]{1,4}|[a-z]{2})-\\d{3,8}(?:-[A-Z]{2,4})?",
  `(?:19|20)\\d{2}${CODE}\\d{4,8}`,
  // The code first, maybe with a county number, then the year: "CR-2025-000418", "CR01-25-11802".
  `${CODE}(?:-?(?:19|20)\\d{2}|\\d{1,3}-\\d{2})-\\d{3,8}`,
  // Washington superior courts: year, case type, sequence, check digit ("24-3-01122-1").
  "(?:19|20)?\\d{2}-\\d-\\d{5}-\\d",
];
const COURT_CASE = new RegExp(`${B_START}(?:${SHAPES.join("|")})${B_END}`, "gu");
const FBI_NUMBER = new RegExp(`${B_START}\\d{6,7}[A-Z]{2}\\d${B_END}`, "gu");
const CAPTION = /(?:\sv(?:s)?\.\s|\bIn re\s|\b(?:Matter|Estate|Marriage|Guardianship) of\s)[^\n]{0,160}$/;
const CAPTION_NUMBER = new RegExp(`${B_START}No\\.\\s*([A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){3,24})${B_END}`, "gu");

export function courtCases(text: string): Candidate[] {
  const out: Candidate[] = [...text.matchAll(COURT_CASE)].map((m) => ({
    type: "CJIS_ID" as const,
    start: m.index,
    end: m.index + m[0].length,
    score: 62,
  }));
  for (const m of text.includes("No.") ? text.matchAll(CAPTION_NUMBER) : []) {
    if (!/\d/.test(m[1]!) || !CAPTION.test(text.slice(Math.max(0, m.index - 160), m.index))) continue;
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ type: "CJIS_ID", start, end: start + m[1]!.length, score: 66 });
  }
  if (CJIS_CONTEXT.test(text)) {
    for (const m of text.matchAll(FBI_NUMBER)) {
      out.push({ type: "CJIS_ID", start: m.index, end: m.index + m[0].length, score: 58 });
    }
  }
  return out;
}
