/**
 * Identifiers known by their label ("MRN 100428817", "booking DC24-4471", "plate wbk 4410"): each
 * rule names the labels, the shape of the value after them, and the check it must pass. The value
 * is what gets removed; the label stays, so the model still knows what was there.
 */
import { MBI_PATTERN } from "../checksums.ts";
import type { EntityType } from "../levels.ts";

export interface IdRule {
  type: EntityType;
  /** Regex source of the labels, matched case-insensitively as whole words. */
  label: string;
  /** Regex source of the value right after the label. */
  value: string;
  score: number;
  /** Regex source of extra words allowed between label and value ("plate query for 3HXR771"). */
  filler?: string;
  /** Further checks on the value and its surroundings; `at` is where the label starts. */
  accept?: (value: string, text: string, at: number) => boolean;
}

const NUM = "(?:\\s*(?:#|number|no\\.?|num|id))?";
const jsonKey = (keys: string): string => `"(?:${keys})"`;
const anyOf = (...labels: string[]): string => labels.join("|");

/** Letters, digits and inner dashes, then optionally digit groups after single spaces ("YPD 448 201 937"). */
const ID = "[A-Z0-9](?:[A-Z0-9]|[-/.:](?=[A-Z0-9])){2,24}(?: \\d{2,6}){0,4}";
const digitCount = (v: string): number => v.replace(/\D/g, "").length;
const hasDigits = (n: number) => (v: string) => digitCount(v) >= n;

/** Text that makes a "license" a clinician's licence rather than a driver's. */
const MEDICAL_WORDS = [
  "npi",
  "dea",
  "md",
  "rn",
  "np",
  "lpn",
  "dds",
  "dmd",
  "physician",
  "provider",
  "clinician",
  "nurse",
  "nursing",
  "medical",
  "dental",
  "pharmacist",
  "prescriber",
  "optometrist",
  "therapist",
  "counselor",
  "lcsw",
];
export const MEDICAL_CONTEXT = new RegExp(`\\b(?:${MEDICAL_WORDS.join("|")})\\b`, "i");
const DRIVER_LABEL = /\b(?:driver|drivers|driver's|dl)\b/i;

/** Vendors' and support desks' case numbers are not court cases. */
const VENDOR_CASE = /\b(?:vendor|support|rma|service|warranty|partner|tech|technical)\s+$/i;
const NAMED_BEFORE = /\b[A-Z][A-Za-z]+\s+$/;

export const ID_RULES: IdRule[] = [
  {
    type: "MEDICAL_RECORD_NUMBER",
    label: anyOf(
      `mrn${NUM}`,
      `medical\\s+record${NUM}`,
      `chart${NUM}`,
      "patient\\s*(?:id|#|acct|account)",
      `member${NUM}`,
      `subscriber${NUM}`,
      `medicaid${NUM}`,
      `medicare${NUM}`,
      "mbi",
      `health\\s*plan${NUM}`,
      `insurance${NUM}`,
      "policy\\s*(?:#|number|no\\.?)",
      jsonKey("mrn|member_?id|subscriber_?id|patient_?id|chart_?(?:number|id)|mbi|medicaid_?id"),
    ),
    value: ID,
    score: 75,
    accept: (v) => digitCount(v) >= 4,
  },
  { type: "MEDICAL_RECORD_NUMBER", label: "mbi|medicare", value: MBI_PATTERN, score: 80 },
  {
    type: "MEDICAL_LICENSE",
    label: `npi${NUM}|${jsonKey("npi")}`,
    value: "\\d{10}",
    score: 80,
  },
  {
    type: "MEDICAL_LICENSE",
    label: `dea${NUM}|dea\\s+registration${NUM}|${jsonKey("dea")}`,
    value: "[A-Z][A-Z9]\\d{7}",
    score: 80,
  },
  {
    type: "MEDICAL_LICENSE",
    label: `(?:state\\s+|medical\\s+|nursing\\s+|professional\\s+)?licen[cs]e${NUM}`,
    value: "[A-Z]{0,3}-?\\d{4,10}(?:-[A-Z0-9]{1,4})?",
    score: 72,
    accept: (_v, text, at) => MEDICAL_CONTEXT.test(text) && !DRIVER_LABEL.test(text.slice(Math.max(0, at - 12), at)),
  },
  {
    type: "US_DRIVER_LICENSE",
    label: anyOf(
      `driver'?s?\\s+licen[cs]e${NUM}`,
      `drivers?\\s+lic\\.?${NUM}`,
      `dl${NUM}`,
      `licen[cs]e${NUM}`,
      "lic\\.?\\s*#",
      jsonKey("dl|dl_?number|drivers?_?licen[cs]e(?:_?number)?"),
    ),
    value: "[A-Z]{0,2}\\d[\\d-]{3,18}[A-Z0-9]?",
    score: 70,
    accept: (v) => digitCount(v) >= 5 && !v.endsWith("-"),
  },
  {
    type: "US_PASSPORT",
    label: `passport${NUM}|${jsonKey("passport(?:_?number)?")}`,
    value: "[A-Z]{0,2}\\d{6,9}",
    score: 76,
  },
  {
    type: "LICENSE_PLATE",
    label: anyOf(
      `(?:license\\s+)?plates?${NUM}`,
      "vehicle(?:\\s+(?:tag|plate|reg(?:istration)?))?",
      "veh\\.?",
      "(?:license|vehicle)\\s+tag",
      `tag${NUM}`,
      `registration${NUM}`,
      jsonKey("plate|license_?plate|tag"),
    ),
    filler: "(?:query|lookup|look-up|check|search|read|reading|hit|ran|run|for|of|on|is|was|with|a|the|state)",
    value: "[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,5}",
    score: 70,
    accept: (v, text, at) => {
      const alnum = v.replace(/[^A-Za-z0-9]/g, "");
      // "service tag 7HQ4KX3" and "asset tag" are the MSP's, not a vehicle's.
      if (/\b(?:service|asset|name|price|hash|rfid|html|git)\s+$/i.test(text.slice(Math.max(0, at - 10), at)))
        return false;
      return alnum.length >= 4 && alnum.length <= 8 && /\d/.test(alnum) && /[A-Za-z]/.test(alnum);
    },
  },
  {
    type: "CJIS_ID",
    label: anyOf(
      `fbi${NUM}`,
      "ucn",
      `sid${NUM}`,
      `state\\s+id${NUM}`,
      `booking${NUM}`,
      `inmate${NUM}`,
      `arrest${NUM}`,
      `warrant${NUM}`,
      `docket${NUM}`,
      // Originating agency case numbers, and the report and citation numbers a case is filed under.
      `oca${NUM}`,
      `(?:police\\s+)?report\\s*(?:#|number|no\\.?)`,
      `citation\\s*(?:#|number|no\\.?)`,
      jsonKey("fbi(?:_?number)?|sid|booking(?:_?(?:number|id))?|docket|warrant"),
    ),
    value: ID,
    score: 74,
    accept: hasDigits(3),
  },
  {
    type: "CJIS_ID",
    label: `case${NUM}|${jsonKey("case(?:_?(?:number|no|id))?")}`,
    value: ID,
    score: 72,
    accept: (v, text, at) => {
      const before = text.slice(Math.max(0, at - 30), at);
      // "Dell case 183829104": a case named after its vendor is a support case.
      return digitCount(v) >= 3 && !VENDOR_CASE.test(before) && !NAMED_BEFORE.test(before);
    },
  },
  {
    type: "US_SSN",
    label: `ssn${NUM}|ss#|social\\s+security${NUM}|${jsonKey("ssn|social_?security(?:_?number)?")}`,
    value: "\\d{3}[- ]?\\d{2}[- ]?\\d{4}",
    score: 82,
  },
];
