/**
 * Court case and docket numbers by their shape: a year, a case-type code, a sequence ("2024-CM-00391",
 * "23-CR-04410"), in federal courts after the division ("2:24-cv-01193").
 */
import type { Candidate } from "../candidates.ts";
import { B_END, B_START } from "../context.ts";

const SHAPE = "(?:\\d{1,2}:)?(?:19|20)?\\d{2}-?(?:[A-Z]{1,4}|[a-z]{2})-\\d{3,8}";
const COURT_CASE = new RegExp(`${B_START}${SHAPE}${B_END}`, "gu");

export function courtCases(text: string): Candidate[] {
  return [...text.matchAll(COURT_CASE)].map((m) => ({
    type: "CJIS_ID" as const,
    start: m.index,
    end: m.index + m[0].length,
    score: 62,
  }));
}
