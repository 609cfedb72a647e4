/** The shapes of the values the id rules (id-rules.ts) take after a label, and checks on them. */

/** Letters, digits and inner dashes, then maybe digit groups after single spaces ("YPD 448 201 937"). */
export const ID = "[A-Z0-9](?:[A-Z0-9]|[-/.:](?=[A-Z0-9])){2,24}(?: \\d{2,6}){0,4}";
/**
 * A driver's licence in any state's format: letters then digits ("D4417203", "S530-4417-2290-07",
 * "M 420 118 903 557", "318 447 902"), or a mixed run ("WDLX7Q2P91KB", "KP482913C"); letters after
 * the digits are glued on, as a word after a space is no part of it ("D1234-5678-9012 on file").
 */
export const DL_VALUE =
  "(?:[A-Z]{1,4}[ -]?)?\\d{1,14}(?:[- ]\\d{1,8}){0,5}(?:-?[A-Z]{1,2}(?![A-Z0-9]))?|[A-Z0-9]{6,16}|" +
  "[A-Z0-9]{2,6}(?:-[A-Z0-9]{2,6}){1,4}";
export const digitCount = (v: string): number => v.replace(/\D/g, "").length;
export const hasDigits = (n: number) => (v: string) => digitCount(v) >= n;
/** An id a licence label names: enough digits, or a mixed run of letters and digits. */
export const licenceLike = (v: string): boolean => {
  const d = digitCount(v);
  if (d >= 5) return true;
  const alnum = v.replace(/[^A-Za-z0-9]/g, "");
  return d >= 3 && alnum.length >= 7 && /[A-Za-z]/.test(alnum);
};

/** What may follow a label's word: "MRN #", "FBI number", "case no.". */
export const NUM = "(?:\\s*(?:#|number|num|nbr|no\\.?|id))?";
export const jsonKey = (keys: string): string => `"(?:${keys})"`;
export const anyOf = (...labels: string[]): string => labels.join("|");
