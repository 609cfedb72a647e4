/**
 * Key and value pairs written inside a text: JSON pasted from a log ("dob":"1962-11-30"), logfmt
 * (srcip=203.0.113.88) and XML (<ssn>…</ssn>). A key says what its value is, as it does for
 * filterData (fields.ts), so the same rules apply: "ordering_npi" holds an NPI, "last" a surname,
 * "postalCode" a ZIP code, whatever the value looks like.
 */
import type { Candidate } from "../candidates.ts";
import { fieldRule } from "../fields.ts";
import { nameInValue } from "../persons/name-field.ts";

/** A key and its string, number or first array string: the string may hold escaped quotes. */
const JSON_STRING = String.raw`"((?:[^"\\\n]|\\.){1,200})"`;
const JSON_PAIR = new RegExp(
  String.raw`"([A-Za-z_$][\w $.-]{0,40})"\s*:\s*(?:${JSON_STRING}|(-?\d[\d.]{0,30})(?=\s*[,}\]])|\[\s*${JSON_STRING})`,
  "g",
);
const LOGFMT_PAIR = /(?<![\w.\-/])([A-Za-z_][\w.-]{0,30})=(?:"([^"\n]{1,200})"|([^\s,;&|"'<>]{1,100}))/g;
/** Pairs parted by semicolons ("victim=…; phone=+44 20 7946 0958; email=…"): a value may hold spaces. */
const SEMICOLON_PAIRS = /;\s*[A-Za-z_][\w.-]{0,30}=/;
const REST_OF_VALUE = /^(?: [^;,&|\n=]+?)(?=\s*(?:[;,&|\n]|$))/;
const XML_PAIR = /<([A-Za-z_][\w.-]{0,40})(?:\s[^>]*)?>([^<\n]{1,200})<\/\1>/g;
const SURNAME_LIKE = /^\p{L}[\p{L}\p{M}'’. -]{0,40}$/u;

function fromPair(key: string, value: string, start: number, out: Candidate[], entitiesOnly: boolean): void {
  if (value.trim() === "" || /^(?:null|none|n\/a|true|false|undefined)$/i.test(value)) return;
  const rule = fieldRule(key, undefined, []);
  if (!rule) return;
  if (rule.kind === "entity") {
    out.push({ type: rule.type, start, end: start + value.length, score: 77 });
  } else if (entitiesOnly) {
    return;
  } else if (rule.kind === "surname") {
    if (SURNAME_LIKE.test(value)) {
      out.push({ type: "PERSON", start, end: start + value.length, score: 80, person: { surname: value } });
    }
  } else if (rule.kind === "name") {
    const name = nameInValue(value);
    if (name)
      out.push({ type: "PERSON", start: start + name.start, end: start + name.end, score: 80, person: name.person });
  }
}

export function fieldsInText(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (text.includes('"')) {
    for (const m of text.matchAll(JSON_PAIR)) {
      const value = m[2] ?? m[3] ?? m[4]!;
      fromPair(m[1]!, value, m.index + m[0].length - value.length - (m[3] === undefined ? 1 : 0), out, false);
    }
  }
  if (text.includes("=")) {
    const spacedValues = SEMICOLON_PAIRS.test(text);
    for (const m of text.matchAll(LOGFMT_PAIR)) {
      const rest = spacedValues && m[3] !== undefined ? REST_OF_VALUE.exec(text.slice(m.index + m[0].length)) : null;
      if (rest) {
        fromPair(m[1]!, m[3]! + rest[0], m.index + m[0].length - m[3]!.length, out, true);
        continue;
      }
      const value = m[2] ?? m[3]!;
      fromPair(m[1]!, value, m.index + m[0].length - value.length - (m[2] === undefined ? 0 : 1), out, true);
    }
  }
  if (text.includes("</")) {
    for (const m of text.matchAll(XML_PAIR)) {
      fromPair(m[1]!, m[2]!, m.index + m[0].indexOf(">") + 1, out, false);
    }
  }
  return out;
}
