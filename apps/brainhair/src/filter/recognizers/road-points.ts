/**
 * LOCATION where police and dispatch write places without a house number: an intersection ("at 5th
 * and Pine", "cross streets Elm St & 3rd Ave") and a point on a highway ("mile marker 212", "I-84 MP 47").
 */
import type { Candidate } from "../candidates.ts";
import { B_END } from "../context.ts";
import { STREET_SUFFIXES } from "./location.ts";

const SUFFIX = `(?:${STREET_SUFFIXES.join("|")})\\.?`;
const ORDINAL = "\\d{1,3}(?:st|nd|rd|th)";
const SIDE = `(?:(?:N|S|E|W)\\.?\\s+)?(?:${ORDINAL}|\\p{Lu}[\\p{L}'’-]+)(?:\\s+${SUFFIX})?`;
/** Two streets after a word that places something at their corner; one must be an ordinal or carry a suffix. */
const CROSSING = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:at|of|near|on|corner\\s+of|intersection\\s+of|cross\\s+streets?:?)\\s+` +
    `(${SIDE}\\s*(?:and|&|/|@)\\s*${SIDE})${B_END}`,
  "giu",
);
const STREETISH = new RegExp(`^(?:${ORDINAL}|.*\\s${SUFFIX})$`, "iu");
/** "the 1200 block of Elm St.", "400 block W Maple Ave": where police place an address without its number. */
const BLOCK = new RegExp(
  `(?<![\\p{L}\\p{N}])\\d{1,6}\\s+block\\s+(?:of\\s+)?(?:(?:N|S|E|W)\\.?\\s+)?` +
    `(?:${ORDINAL}|\\p{Lu}[\\p{L}'’-]+)(?:\\s+\\p{Lu}[\\p{L}'’-]+){0,2}?(?:\\s+${SUFFIX})?${B_END}`,
  "gu",
);
/** "mile marker 212", "milepost 47.5"; "MM 212" and "MP 47" only where a highway is named. */
const MILE =
  /(?<![\p{L}\p{N}])(?:mile\s*markers?|mileposts?|mile\s*posts?|MM|MP)\s*#?\s*\d{1,3}(?:\.\d{1,2})?(?![\p{L}\p{N}])/gu;
const HIGHWAY = /\b(?:I-?\s?\d{1,3}|interstate|hwy|highway|US-?\s?\d{1,3}|SR-?\s?\d{1,3}|route|freeway|turnpike)\b/i;

export function roadPoints(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(CROSSING)) {
    const pair = m[1]!;
    const sides = pair.split(/\s*(?:\band\b|&|\/|@)\s*/i);
    if (!sides.some((side) => STREETISH.test(side.trim()))) continue;
    const start = m.index + m[0].length - pair.length;
    out.push({ type: "LOCATION", start, end: start + pair.length, score: 62 });
  }
  for (const m of text.matchAll(BLOCK)) {
    out.push({ type: "LOCATION", start: m.index, end: m.index + m[0].length, score: 76 });
  }
  for (const m of text.matchAll(MILE)) {
    if (/^m[mp]/i.test(m[0]) && (!/^[A-Z]{2}/.test(m[0]) || !HIGHWAY.test(text))) continue;
    out.push({ type: "LOCATION", start: m.index, end: m.index + m[0].length, score: 62 });
  }
  return out;
}
