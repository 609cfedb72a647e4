/** Applies the label rules of id-rules.ts to the text and to table columns, plus shape-only checks. */
import type { Candidate } from "../candidates.ts";
import { deaValid, npiValid } from "../checksums.ts";
import { B_END, B_START } from "../context.ts";
import { tableCells } from "../tables.ts";
import { ID_RULES, type IdRule, MEDICAL_CONTEXT } from "./id-rules.ts";

const CONNECT = `(?:[\\s:#=("'_\\-]|\\b(?:is|was|of|on|no\\.?|number|num)\\b){1,6}`;

interface Compiled {
  rule: IdRule;
  inText: RegExp;
  label: RegExp;
  value: RegExp;
}

const compiled: Compiled[] = ID_RULES.map((rule) => {
  const filler = rule.filler ? `(?:${rule.filler}\\s+){0,3}` : "";
  return {
    rule,
    inText: new RegExp(`${B_START}(?:${rule.label})${CONNECT}${filler}(${rule.value})${B_END}`, "giu"),
    label: new RegExp(`^(?:${rule.label})$`, "iu"),
    value: new RegExp(`^(?:${rule.value})$`, "iu"),
  };
});

export function labelledIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const { rule, inText } of compiled) {
    for (const m of text.matchAll(inText)) {
      const value = m[1]!;
      const start = m.index + m[0].length - value.length;
      if (rule.accept && !rule.accept(value, text, m.index)) continue;
      out.push({ type: rule.type, start, end: start + value.length, score: rule.score });
    }
  }
  for (const cell of tableCells(text)) {
    for (const { rule, label, value } of compiled) {
      if (!label.test(cell.header) || !value.test(cell.value)) continue;
      if (rule.accept && !rule.accept(cell.value, text, cell.start)) continue;
      out.push({ type: rule.type, start: cell.start, end: cell.end, score: rule.score - 4 });
    }
  }
  return out;
}

const TEN_DIGITS = new RegExp(`${B_START}[12]\\d{9}${B_END}`, "g");
const DEA_SHAPE = new RegExp(`${B_START}[A-Z][A-Z9]\\d{7}${B_END}`, "g");
const DL_TOPIC = /\b(?:driver'?s?\s+licen[cs]e|dl\s*(?:#|number)|licen[cs]e\s+numbers?)\b/i;
const DL_SHAPE = new RegExp(`${B_START}(?:[A-Z]\\d{7,8}|[A-Z]\\d{3}-\\d{3,4}-\\d{3,4}(?:-\\d{3})?)${B_END}`, "g");
const PASSPORT_TOPIC = /\bpassports?\b/i;
const PASSPORT_SHAPE = new RegExp(`${B_START}[A-Z]\\d{8}${B_END}`, "g");

/**
 * Identifiers named by the text's topic rather than a label next to them: a 10-digit number with a
 * valid NPI check in a text about NPIs, a valid DEA number where DEA or prescribing is the topic, a
 * driver's licence in a state format in a text about licences (a CSV row, a pasted form).
 */
export function topicalIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (type: Candidate["type"], re: RegExp, ok: (v: string) => boolean, score: number) => {
    for (const m of text.matchAll(re)) {
      if (ok(m[0])) out.push({ type, start: m.index, end: m.index + m[0].length, score });
    }
  };
  if (/\bnpi\b/i.test(text)) push("MEDICAL_LICENSE", TEN_DIGITS, npiValid, 60);
  if (/\b(?:dea|prescrib\w*|controlled|epcs)\b/i.test(text) || MEDICAL_CONTEXT.test(text)) {
    push("MEDICAL_LICENSE", DEA_SHAPE, deaValid, 60);
  }
  if (DL_TOPIC.test(text)) push("US_DRIVER_LICENSE", DL_SHAPE, () => true, 45);
  if (PASSPORT_TOPIC.test(text)) push("US_PASSPORT", PASSPORT_SHAPE, () => true, 45);
  return out;
}
