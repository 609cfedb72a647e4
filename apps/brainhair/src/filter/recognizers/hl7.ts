/**
 * HL7 v2 messages, pasted whole ("PID|1||…") or quoted field by field (PID-5 "ETIENNE^MARJORIE"):
 * the field's number says what its components are, so names, addresses, dates and ids are read by
 * position, not guessed.
 */
import type { Candidate } from "../candidates.ts";
import { npiValid } from "../checksums.ts";
import type { EntityType } from "../levels.ts";

type Kind = "name" | "doctor" | "address" | "phone" | "id" | "date" | "ssn" | "license";

const FIELDS: Record<string, Record<number, Kind>> = {
  PID: {
    2: "id",
    3: "id",
    4: "id",
    5: "name",
    6: "name",
    7: "date",
    9: "name",
    11: "address",
    13: "phone",
    14: "phone",
    18: "id",
    19: "ssn",
    20: "license",
    21: "id",
    29: "date",
  },
  PD1: { 4: "doctor" },
  MRG: { 1: "id", 2: "id", 3: "id", 7: "name" },
  NK1: { 2: "name", 4: "address", 5: "phone", 6: "phone", 16: "date", 37: "ssn" },
  GT1: { 2: "id", 3: "name", 5: "address", 6: "phone", 7: "phone", 8: "date", 12: "ssn" },
  IN1: { 16: "name", 18: "date", 19: "address", 36: "id", 49: "id" },
  IN2: { 2: "ssn", 8: "id" },
  // Visit number, the attending, referring, consulting and admitting doctors, admit and discharge times.
  PV1: { 7: "doctor", 8: "doctor", 9: "doctor", 17: "doctor", 19: "id", 44: "date", 45: "date" },
  ORC: { 10: "doctor", 11: "doctor", 12: "doctor" },
  OBR: { 16: "doctor", 28: "doctor", 32: "doctor" },
  RXE: { 13: "doctor" },
  SCH: { 12: "doctor", 16: "doctor" },
};
const SEGMENT_IDS = Object.keys(FIELDS).join("|");

interface Part {
  text: string;
  start: number;
}

function split(value: string, start: number, sep: string): Part[] {
  const parts: Part[] = [];
  let at = start;
  for (const text of value.split(sep)) {
    parts.push({ text, start: at });
    at += text.length + 1;
  }
  return parts;
}

const cand = (type: EntityType, p: Part, score = 78): Candidate => ({
  type,
  start: p.start,
  end: p.start + p.text.length,
  score,
});

/** A person in XPN order (family^given^middle), from `from` to the end of the last name part used. */
function person(c: Part[]): Candidate | null {
  const [family, given, middle] = c;
  if (!family || !/\p{L}/u.test(family.text)) return null;
  const last = middle?.text ? middle : given?.text ? given : family;
  return {
    type: "PERSON",
    start: family.start,
    end: last.start + last.text.length,
    score: 80,
    person: { surname: family.text, ...(given?.text ? { first: given.text } : {}) },
  };
}

function field(kind: Kind, value: Part): Candidate[] {
  const out: Candidate[] = [];
  for (const rep of split(value.text, value.start, "~")) {
    const c = split(rep.text, rep.start, "^");
    const first = c[0]!;
    if (kind === "name") {
      const p = person(c);
      if (p) out.push(p);
    } else if (kind === "doctor") {
      if (/^\d{10}$/.test(first.text) && npiValid(first.text)) out.push(cand("MEDICAL_LICENSE", first));
      const p = person(c.slice(1));
      if (p) out.push(p);
    } else if (kind === "address") {
      for (const i of [0, 1, 2, 4]) if (c[i]?.text) out.push(cand("LOCATION", c[i]!));
    } else if (first.text !== "") {
      const type: Record<typeof kind, EntityType> = {
        phone: "PHONE_NUMBER",
        id: "MEDICAL_RECORD_NUMBER",
        date: "DATE_OF_BIRTH",
        ssn: "US_SSN",
        license: "US_DRIVER_LICENSE",
      };
      out.push(cand(type[kind], kind === "date" ? { text: first.text.slice(0, 8), start: first.start } : first));
    }
  }
  return out;
}

/**
 * A segment, on a line of its own or pasted inline after text or other segments ("failed: PID|1||…"):
 * it runs to the line's end or to the next segment's name.
 */
const ANY_SEGMENT =
  "(?:MSH|EVN|PID|PD1|MRG|NK1|PV1|PV2|ORC|OBR|OBX|NTE|IN1|IN2|GT1|DG1|AL1|RXE|RXA|SCH|TXA|FT1|MSA|ERR)";
const SEGMENT = new RegExp(
  `(?<![\\p{L}\\p{N}^|])(${SEGMENT_IDS})\\|[^\\r\\n]*?(?=\\s+${ANY_SEGMENT}\\||[\\r\\n]|\\\\r|$)`,
  "gu",
);
/**
 * A field quoted by its number ("PID-5 \"ETIENNE^MARJORIE\"", "PID-7: 19520711"): unquoted, the value
 * must follow a colon or an equals sign or look like one (a caret or a digit), so that "PID-11
 * component count" names a field without quoting it.
 */
const QUOTED_FIELD = new RegExp(
  `\\b(${SEGMENT_IDS})-(\\d{1,2})(?:\\.\\d+)?(?:\\s*[:=]\\s*|\\s+(?:(?:is|was|of|shows|reads|=)\\s+)?)` +
    `(?:"([^"\\r\\n]*)"|([^\\s"|,;]+))`,
  "g",
);
const VALUE_LIKE = /[\^\d]/;

export function hl7(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!text.includes("|") && !/-\d/.test(text)) return out;
  for (const m of text.matchAll(SEGMENT)) {
    const kinds = FIELDS[m[1]!]!;
    const fields = split(m[0], m.index, "|");
    for (const [i, f] of fields.entries()) {
      const kind = kinds[i];
      if (!kind || f.text === "") continue;
      // The last field of an inline segment may run on into the text after it: "…|207-555-0131 Error: …".
      const cut = i === fields.length - 1 && kind !== "address" && kind !== "name" ? f.text.split(/\s/)[0]! : f.text;
      out.push(...field(kind, { text: cut, start: f.start }));
    }
  }
  for (const m of text.matchAll(QUOTED_FIELD)) {
    const kind = FIELDS[m[1]!]![Number(m[2])];
    const value = m[3] ?? m[4]!;
    if (!kind || value === "") continue;
    if (m[3] === undefined && !/[:=]/.test(m[0]) && !VALUE_LIKE.test(value)) continue;
    out.push(
      ...field(kind, { text: value, start: m.index + m[0].length - value.length - (m[3] === undefined ? 0 : 1) }),
    );
  }
  return out;
}

/**
 * An HL7 identifier (CX) written outside its segment: "00088213^^^CLINIC^MR". Its type code says what
 * it is: a record, patient, member or account number, a social security or a driver's licence number.
 */
const CX_ID =
  /(?<![\p{L}\p{N}^|])([A-Z0-9][A-Z0-9-]{2,24})\^[^^|\s]*\^[^^|\s]*\^[^^|\s]*\^([A-Z]{2,3})(?![\p{L}\p{N}])/gu;
const CX_TYPES: Record<string, EntityType> = {
  MR: "MEDICAL_RECORD_NUMBER",
  MRN: "MEDICAL_RECORD_NUMBER",
  PI: "MEDICAL_RECORD_NUMBER",
  PT: "MEDICAL_RECORD_NUMBER",
  PN: "MEDICAL_RECORD_NUMBER",
  MB: "MEDICAL_RECORD_NUMBER",
  MA: "MEDICAL_RECORD_NUMBER",
  MC: "MEDICAL_RECORD_NUMBER",
  AN: "MEDICAL_RECORD_NUMBER",
  HC: "MEDICAL_RECORD_NUMBER",
  JHN: "MEDICAL_RECORD_NUMBER",
  SS: "US_SSN",
  DL: "US_DRIVER_LICENSE",
};

export function cxIds(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!text.includes("^")) return out;
  for (const m of text.matchAll(CX_ID)) {
    const type = CX_TYPES[m[2]!];
    if (type) out.push(cand(type, { text: m[1]!, start: m.index }, 74));
  }
  return out;
}

/** Names written the HL7 way outside a labelled field: "ETIENNE^MARJORIE", "Ono^Takeshi^K". */
const CARET_NAME =
  /(?<![\p{L}\p{N}^])(\p{Lu}[\p{L}'’-]+)\^(\p{Lu}[\p{L}'’-]+)(?:\^(\p{Lu}[\p{L}'’-]*))?(?![\p{L}\p{N}^])/gu;

export function caretNames(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(CARET_NAME)) {
    const family = { text: m[1]!, start: m.index };
    const given = { text: m[2]!, start: m.index + m[1]!.length + 1 };
    const parts = m[3] ? [family, given, { text: m[3], start: given.start + m[2]!.length + 1 }] : [family, given];
    const p = person(parts);
    if (p) out.push({ ...p, score: 62 });
  }
  return out;
}
