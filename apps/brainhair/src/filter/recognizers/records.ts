/**
 * Records pasted in the formats other systems print, read by position or key rather than guessed:
 * - NCIC/NLETS returns ("NAM/HALVORSEN, ERIK.DOB/19840312.OLN/H441-9208-8711-02.FBI/612835PB7");
 * - X12 healthcare EDI (837/270/271/277: NM1, DMG, N3, N4, REF, DTP, PER, CLM segments);
 * - vCards (FN, N, ADR, BDAY, TEL).
 */
import type { Candidate } from "../candidates.ts";
import type { EntityType } from "../levels.ts";

const span = (type: EntityType, start: number, text: string, score = 80): Candidate => ({
  type,
  start,
  end: start + text.length,
  score,
});

/** "LAST, FIRST MIDDLE" or "LAST FIRST": a person whose surname comes first. */
function surnameFirst(value: string, start: number, score = 80): Candidate | null {
  const m = /^\s*([\p{L}][\p{L}'’ -]*?)\s*(?:,\s*|\s+)([\p{L}][\p{L}'’-]*)?/u.exec(value);
  if (!m) return null;
  const trimmed = value.trimEnd();
  const lead = value.length - value.trimStart().length;
  return {
    type: "PERSON",
    start: start + lead,
    end: start + trimmed.length,
    score,
    person: { surname: m[1]!.trim(), ...(m[2] ? { first: m[2] } : {}) },
  };
}

// --- NCIC / NLETS ---------------------------------------------------------------------------------

const NCIC_KEYS: Record<string, EntityType | "name"> = {
  NAM: "name",
  DOB: "DATE_OF_BIRTH",
  SOC: "US_SSN",
  OLN: "US_DRIVER_LICENSE",
  LIC: "LICENSE_PLATE",
  FBI: "CJIS_ID",
  SID: "CJIS_ID",
  OCA: "CJIS_ID",
  NIC: "CJIS_ID",
  MNU: "CJIS_ID",
  OTN: "CJIS_ID",
};
/** Two or more "KEY/value" fields joined by periods mark a line as a message of this kind. */
const NCIC_LINE = /(?:^|[\s.])[A-Z]{3}\/[^.\n]+\.[A-Z]{3}\//m;
const NCIC_FIELD =
  /(?<![A-Za-z0-9])(NAM|DOB|SOC|OLN|LIC|FBI|SID|OCA|NIC|MNU|OTN)\/([^.\n]+?)(?=\.[A-Z]{2,4}\/|\.?\s*$|\.?\s*\n|\.\s)/gm;

function ncic(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!text.includes("/") || !NCIC_LINE.test(text)) return out;
  for (const m of text.matchAll(NCIC_FIELD)) {
    const kind = NCIC_KEYS[m[1]!]!;
    const start = m.index + m[1]!.length + 1;
    if (kind === "name") {
      const p = surnameFirst(m[2]!, start);
      if (p) out.push(p);
    } else out.push(span(kind, start, m[2]!.trim()));
  }
  return out;
}

// --- X12 ------------------------------------------------------------------------------------------

const X12_SEGMENT = /(?<![A-Za-z0-9])(NM1|DMG|N3|N4|REF|DTP|PER|CLM)\*[^~\n]*/g;
/** NM1 id qualifiers: NPI, member ids, SSNs. */
const NM1_ID: Record<string, EntityType> = {
  XX: "MEDICAL_LICENSE",
  MI: "MEDICAL_RECORD_NUMBER",
  II: "MEDICAL_RECORD_NUMBER",
  "34": "US_SSN",
};
/** REF qualifiers: SSN, member and record numbers, state licence numbers. */
const REF_ID: Record<string, EntityType> = {
  SY: "US_SSN",
  "1W": "MEDICAL_RECORD_NUMBER",
  EA: "MEDICAL_RECORD_NUMBER",
  IG: "MEDICAL_RECORD_NUMBER",
  "0B": "MEDICAL_LICENSE",
  "1G": "MEDICAL_LICENSE",
};

function elements(seg: string, start: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let at = start;
  for (const text of seg.split("*")) {
    out.push({ text, start: at });
    at += text.length + 1;
  }
  return out;
}

function x12(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!text.includes("*")) return out;
  let person = false;
  for (const m of text.matchAll(X12_SEGMENT)) {
    const e = elements(m[0], m.index);
    const at = (i: number) => (e[i]?.text ? e[i]! : null);
    const add = (type: EntityType, i: number) => {
      const el = at(i);
      if (el) out.push(span(type, el.start, el.text));
    };
    switch (m[1]) {
      case "NM1": {
        // Entity type 1 is a person: last, first, middle; 2 is an organisation.
        person = e[2]?.text === "1";
        const last = at(3);
        if (person && last) {
          const lastEl = at(5) ?? at(4) ?? last;
          out.push({
            type: "PERSON",
            start: last.start,
            end: lastEl.start + lastEl.text.length,
            score: 80,
            person: { surname: last.text, ...(at(4) ? { first: at(4)!.text } : {}) },
          });
        }
        const type = NM1_ID[e[8]?.text ?? ""];
        if (type && (person || type !== "MEDICAL_LICENSE")) add(type, 9);
        break;
      }
      case "DMG":
        add("DATE_OF_BIRTH", 2);
        break;
      case "N3":
        add("LOCATION", 1);
        add("LOCATION", 2);
        break;
      case "N4":
        add("LOCATION", 1);
        add("LOCATION", 3);
        break;
      case "REF": {
        const type = REF_ID[e[1]?.text ?? ""];
        if (type) add(type, 2);
        break;
      }
      case "DTP":
        // Service, admission, discharge, onset and visit dates of the patient.
        if (/^(?:472|435|096|431|304|454|434|036|573)$/.test(e[1]?.text ?? "")) add("DATE_OF_BIRTH", 3);
        break;
      case "PER":
        add("PHONE_NUMBER", 4);
        add("PHONE_NUMBER", 6);
        break;
      case "CLM":
        // The patient control number the provider files the claim under.
        add("MEDICAL_RECORD_NUMBER", 1);
        break;
    }
  }
  return out;
}

// --- vCard ----------------------------------------------------------------------------------------

const VCARD_LINE = /^(FN|N|ADR|BDAY|TEL)(?:;[^:\n]*)?:([^\n\r]*)/gim;

function vcard(text: string): Candidate[] {
  const out: Candidate[] = [];
  if (!/BEGIN:VCARD/i.test(text)) return out;
  for (const m of text.matchAll(VCARD_LINE)) {
    const value = m[2]!;
    const start = m.index + m[0].length - value.length;
    const key = m[1]!.toUpperCase();
    if (key === "FN" && value.trim()) {
      const words = value.trim().split(/\s+/);
      if (words.length >= 2) {
        out.push({
          type: "PERSON",
          start,
          end: start + value.trimEnd().length,
          score: 80,
          person: { first: words[0]!, surname: words.at(-1)! },
        });
      }
    } else if (key === "N") {
      const [last, first] = value.split(";");
      if (last) out.push({ type: "PERSON", start, end: start + last.length, score: 80, person: { surname: last } });
      if (first) void first;
    } else if (key === "ADR") {
      // ;;street;city;region;zip;country
      let at = start;
      for (const [i, part] of value.split(";").entries()) {
        if (part && (i === 2 || i === 3 || i === 5)) out.push(span("LOCATION", at, part));
        at += part.length + 1;
      }
    } else if (key === "BDAY" && value.trim()) out.push(span("DATE_OF_BIRTH", start, value.trim()));
    else if (key === "TEL" && value.trim()) out.push(span("PHONE_NUMBER", start, value.trim()));
  }
  return out;
}

export function records(text: string): Candidate[] {
  return [...ncic(text), ...x12(text), ...vcard(text)];
}
