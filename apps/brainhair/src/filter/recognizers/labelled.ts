/** Applies the label rules of id-rules.ts to the text and to table columns, plus shape-only checks. */
import type { Candidate } from "../candidates.ts";
import { deaValid, npiValid } from "../checksums.ts";
import { B_END, B_START, precededBy } from "../context.ts";
import { tableCells } from "../tables.ts";
import { MEDICAL_CONTEXT, STATE_WORD } from "./id-context.ts";
import { ID_RULES, type IdRule } from "./id-rules.ts";
import { ID } from "./id-values.ts";

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** What may stand between a label and its value: "MRN: 123", "SID/WI0087", "booking #B24-1", "FBI no. 90". */
// Not across a line: a label at a line's end (a CSV header's last column) names nothing on the next.
const CONNECT = `(?:[ \\t:#=("'_\\-/]|\\b(?:is|was|of|on|no\\.?|number|num|nbr)\\b){1,6}`;
/** Between two values of one label: "plates ABC123 and XYZ789", "MRNs 1234567, 2345678". */
const LIST = "\\s*(?:,|;|/|&|\\band\\b|\\bor\\b|,\\s*and\\b)\\s*";

interface Compiled {
  rule: IdRule;
  /** Whether a label may start at one position, when the rule says (then `inText` is tried there only, sticky). */
  starts: RegExp | null;
  inText: RegExp;
  /** The same, sticky: tried at one position. */
  inTextAt: RegExp;
  /** A label in parentheses, after its value: "482913KA7 (FBI)". */
  labelAfter: RegExp;
  /** The value at the end of the text before such a label. */
  valueBefore: RegExp;
  more: RegExp;
  label: RegExp;
  value: RegExp;
}

const compiled: Compiled[] = ID_RULES.map((rule) => {
  const filler = rule.filler ? `(?:(?:${rule.filler})[\\s:(),.-]+){0,3}` : "";
  // "LPR-SRV2", "MRN_LOOKUP": a label glued to the next word by a dash or underscore is part of a name.
  const source = `(?:${rule.label})s?(?![-_]\\p{L})${CONNECT}${filler}(${rule.value})${B_END}`;
  return {
    rule,
    // Without the u flag, which makes a scan of many words several times slower; JSON keys start at a quote.
    starts: rule.starts ? new RegExp(`\\b(?:${rule.starts})${rule.label.includes('"') ? '|"' : ""}`, "iy") : null,
    inText: new RegExp(source, "giu"),
    inTextAt: new RegExp(source, "iuy"),
    labelAfter: new RegExp(`\\(\\s*(?:${rule.label})\\s*\\)`, "giu"),
    valueBefore: new RegExp(`${B_START}(?:${rule.value})\\s*$`, "iu"),
    more: new RegExp(
      `${LIST}${rule.stateBefore ? `(?:\\(?${STATE_WORD}\\)?\\s+)?` : ""}(${rule.value})${B_END}`,
      "iuy",
    ),
    label: new RegExp(`^(?:${rule.label})s?$`, "iu"),
    value: new RegExp(`^(?:${rule.value})$`, "iu"),
  };
});

/** Where any rule's label may start: one scan for all rules, without the u flag. */
const ALL_STARTS = new RegExp(`\\b(?:${ID_RULES.flatMap((r) => (r.starts ? [r.starts] : [])).join("|")})|"`, "gi");

export function labelledIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  const labelStarts: number[] = [];
  for (const m of text.matchAll(ALL_STARTS)) if (!WORD_CHAR.test(text[m.index - 1] ?? "")) labelStarts.push(m.index);
  for (const { rule, starts, inText, inTextAt, labelAfter, valueBefore, more } of compiled) {
    const take = (m: RegExpExecArray): boolean => {
      const value = m[1]!;
      const start = m.index + m[0].length - value.length;
      // The label starts a word (checked here, not by a lookbehind that would slow every position down).
      if (WORD_CHAR.test(text[m.index - 1] ?? "") || (rule.accept && !rule.accept(value, text, m.index))) return false;
      // Digit groups after a word: "YPD 448 201 937" is one id, "clip 4471" a word and a number.
      const head = value.split(" ")[0]!;
      if (rule.value === ID && head !== value && !/\d/.test(head) && head !== head.toUpperCase()) return false;
      out.push({ type: rule.type, start, end: start + value.length, score: rule.score });
      // A list after one label: each value that has the same shape and passes the same check.
      more.lastIndex = start + value.length;
      for (let n = more.exec(text); n !== null; n = more.exec(text)) {
        const next = n[1]!;
        if (rule.accept && !rule.accept(next, text, m.index)) break;
        const at = n.index + n[0].length - next.length;
        out.push({ type: rule.type, start: at, end: at + next.length, score: rule.score - 6 });
        more.lastIndex = at + next.length;
      }
      return true;
    };
    if (starts) {
      // Only where a label's first word stands (found once for all rules): the full rule, anchored there.
      for (const at of labelStarts) {
        starts.lastIndex = at;
        if (!starts.test(text)) continue;
        inTextAt.lastIndex = at;
        const m = inTextAt.exec(text);
        if (m) take(m);
      }
    } else {
      inText.lastIndex = 0;
      for (let m = inText.exec(text); m !== null; m = inText.exec(text)) {
        // The label may be the value of an earlier one ("inmate booking BK25-004102"): look again after it.
        if (!take(m)) inText.lastIndex = m.index + 1;
      }
    }
    if (text.includes("(")) {
      for (const m of text.matchAll(labelAfter)) {
        const before = text.slice(Math.max(0, m.index - 40), m.index);
        const v = valueBefore.exec(before);
        if (!v) continue;
        const value = v[0].trimEnd();
        const start = m.index - before.length + v.index;
        if (rule.accept && !rule.accept(value, text, m.index)) continue;
        out.push({ type: rule.type, start, end: start + value.length, score: rule.score - 4 });
      }
    }
  }
  for (const cell of tableCells(text)) {
    for (const { rule, label, value } of compiled) {
      if (!label.test(cell.header)) continue;
      // A state before the number in the cell: "OH TR448201".
      const state = new RegExp(`^${STATE_WORD}\\s+`, "u").exec(cell.value)?.[0].length ?? 0;
      const v = cell.value.slice(state);
      if (!value.test(v) || (rule.accept && !rule.accept(v, text, cell.start))) continue;
      out.push({ type: rule.type, start: cell.start + state, end: cell.end, score: rule.score - 4 });
    }
  }
  return out;
}

const TEN_DIGITS = new RegExp(`${B_START}[12]\\d{9}${B_END}`, "gu");
const DEA_SHAPE = new RegExp(`${B_START}[A-Z][A-Z9]\\d{7}${B_END}`, "gu");
const DL_TOPIC = /\b(?:driver'?s?|licen[cs]es?|dl|cdl|dmv|bmv|mvd|id\s+card|state\s+id|real\s+id|id\s+verification)\b/i;
/**
 * Driver's licence numbers in formats states use that little else has: a letter and 7 to 14 digits
 * ("D4417203", "M420118903557"), the Soundex formats with dashes or spaces ("S530-4417-2290-07",
 * "W426-545-30-761-0", "M 420 118 903 557", "C-432-117-880-512"), and Washington's "WDL" ids.
 */
const DL_SHAPE = new RegExp(
  `${B_START}(?:[A-Z]\\d{3,5}(?:[ -]\\d{2,5}){1,4}|[A-Z]\\d{7,14}|[A-Z]{2}\\d{6,8}|` +
    `[A-Z]-?\\d{3}-\\d{3,4}-\\d{2,4}(?:-\\d{1,4}){0,2}|[A-Z] \\d{3} \\d{3} \\d{3} \\d{3}|` +
    `WDL[A-Z0-9]{9})${B_END}`,
  "gu",
);
const PASSPORT_TOPIC = /\bpassports?\b/i;
/** Labels under which a number is something other than a licence or passport. */
const OTHER_LABELS = new Set([
  "case",
  "ticket",
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
  "tracking",
  "incident",
  "rma",
  "batch",
  "job",
  "envelope",
  "transaction",
  "matter",
  "ssn",
  "ssns",
  "phone",
  "fax",
]);
const PASSPORT_SHAPE = new RegExp(`${B_START}[A-Z]?\\d{8,9}${B_END}`, "gu");
/** Credentials a state licence number is often written with: "APRN-3391", "RN.0031187", "LCSW 4471". */
const CREDENTIAL_LICENCE = new RegExp(
  `${B_START}(?:RN|LPN|LVN|APRN|CRNA|CNM|NP|MD|DO|PA|DDS|DMD|RDH|LCSW|CSW|LICSW|LMSW|LPC|LPCC|LMFT|LMHC|DPT|` +
    `PT|OT|OTR|RPH|DC|OD|PSY|PHD)[-.#]\\s?\\d{3,10}${B_END}`,
  "gu",
);

/**
 * Identifiers named by the text's topic rather than a label next to them: a 10-digit number with a
 * valid NPI check in a text about NPIs, a valid DEA number where DEA or prescribing is the topic, a
 * driver's licence in a state format in a text about licences (a CSV row, a pasted form), a licence
 * number written with its credential in a clinical text.
 */
export function topicalIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (type: Candidate["type"], re: RegExp, ok: (v: string, at: number) => boolean, score: number) => {
    for (const m of text.matchAll(re)) {
      if (ok(m[0], m.index)) out.push({ type, start: m.index, end: m.index + m[0].length, score });
    }
  };
  const medical = MEDICAL_CONTEXT.test(text);
  if (/\bnpi\b/i.test(text) || medical) push("MEDICAL_LICENSE", TEN_DIGITS, npiValid, 60);
  if (/\b(?:dea|prescrib\w*|controlled|epcs)\b/i.test(text) || medical) {
    push("MEDICAL_LICENSE", DEA_SHAPE, deaValid, 60);
  }
  if (medical) push("MEDICAL_LICENSE", CREDENTIAL_LICENCE, () => true, 62);
  // A number under another label ("Workday case 04471822", "order 4471…") is not the topic's.
  const unlabelled = (_v: string, at: number) => !precededBy(text, at, OTHER_LABELS, 2);
  if (DL_TOPIC.test(text)) push("US_DRIVER_LICENSE", DL_SHAPE, unlabelled, 45);
  if (PASSPORT_TOPIC.test(text)) push("US_PASSPORT", PASSPORT_SHAPE, unlabelled, 45);
  return out;
}
