/**
 * Identifiers known by their label ("MRN 100428817", "booking DC24-4471", "plate wbk 4410",
 * "OLN/H441-9208-8711-02"): each rule names the labels, the shape of the value after them, and the
 * check it must pass. The value is what gets removed; the label stays, so the model still knows
 * what was there. A careful redactor reads any identifier after such a label as the thing the label
 * names, whatever its shape: so values are broad (letters, digits, inner dashes, dots and digit
 * groups) and the labels carry the decision.
 */
import { MBI_PATTERN } from "../checksums.ts";
import type { EntityType } from "../levels.ts";
import {
  CJIS_CONTEXT,
  DRIVER_LABEL,
  IT_ID_BEFORE,
  IT_TAG,
  MEDICAL_CONTEXT,
  NAMED_BEFORE,
  PATIENT_NEAR,
  PRESCRIBER_FILLER,
  SOFTWARE_LICENCE,
  STATE_FILLER,
  VEHICLE_BEFORE,
  VENDOR_CASE,
} from "./id-context.ts";
import { DL_VALUE, digitCount, hasDigits, ID, licenceLike } from "./id-values.ts";

export interface IdRule {
  type: EntityType;
  /** Regex source of the labels, matched case-insensitively as whole words (a plural "s" is allowed). */
  label: string;
  /** Regex source of the value right after the label. */
  value: string;
  score: number;
  /** Regex source of extra words allowed between label and value ("plate query for 3HXR771"). */
  filler?: string;
  /** Further checks on the value and its surroundings; `at` is where the label starts. */
  accept?: (value: string, text: string, at: number) => boolean;
  /** A state may stand before each listed value, as before the first ("plates OR 842 KLM and WA BXR4471"). */
  stateBefore?: boolean;
  /**
   * Regex source of the words its labels start with: found first, so that the full rule is tried
   * only where one stands (a scan of many alternatives at every position is the slow part).
   */
  starts?: string;
}

const NUM = "(?:\\s*(?:#|number|num|nbr|no\\.?|id))?";
const jsonKey = (keys: string): string => `"(?:${keys})"`;
const anyOf = (...labels: string[]): string => labels.join("|");

export const ID_RULES: IdRule[] = [
  {
    type: "MEDICAL_RECORD_NUMBER",
    label: anyOf(
      `mrn${NUM}`,
      "mr\\s*(?:#|no\\.?|number)",
      `med(?:ical)?\\.?\\s+rec(?:ord)?s?${NUM}`,
      `chart${NUM}`,
      "patient\\s*(?:id|#|no\\.?|number|acct|account)(?:\\s*(?:#|no\\.?|number))?",
      "pt\\.?\\s*(?:id|#|no\\.?|acct|account)(?:\\s*(?:#|no\\.?|number))?",
      `member${NUM}`,
      `subscriber${NUM}`,
      `beneficiary${NUM}`,
      `enrollee${NUM}`,
      `medicaid${NUM}`,
      `medicare${NUM}`,
      "mbi",
      `health\\s*plan${NUM}`,
      `(?:insurance|ins\\.?)${NUM}`,
      "policy\\s*(?:#|number|no\\.?|id)",
      "(?:encounter|visit)\\s*(?:#|number|no\\.?|id)",
      "(?:fin|csn|har|empi)(?:\\s*(?:#|number|no\\.?))?",
      "(?:rx|prescription)\\s*(?:#|number|no\\.?)",
      `(?:hicn?|medical\\s+id|health\\s+id|e[mh]r\\s*(?:#|id|no\\.?)|person\\s+id)${NUM}`,
      jsonKey(
        "mrn|member_?id|subscriber_?id|patient_?id|chart_?(?:number|id|no)|mbi|medicaid_?id|medicare_?id|" +
          "insurance_?id|policy_?(?:number|id)",
      ),
    ),
    value: ID,
    score: 75,
    accept: (v) => digitCount(v) >= 4,
    starts:
      "mrn|mr|med|chart|patient|pt|member|subscriber|beneficiary|enrollee|medicaid|medicare|mbi|health|" +
      "insurance|ins|policy|encounter|visit|fin|csn|har|empi|rx|prescription|hicn?|e[mh]r|person",
  },
  {
    // A patient's account: "ACCT#: 00442817" where the text is about patients, not a vendor's account.
    type: "MEDICAL_RECORD_NUMBER",
    label: "(?:acct|account)\\s*(?:#|no\\.?|number|:)?",
    value: ID,
    score: 66,
    // A bare "acct 4400918" only right after a patient is named: "patient 'Gutierrez, Maria' (acct 4400918)".
    accept: (v, text, at) =>
      digitCount(v) >= 5 &&
      MEDICAL_CONTEXT.test(text) &&
      (/^(?:acct|account)\s*(?:#|no\b|number\b|:)/i.test(text.slice(at, at + 16)) ||
        PATIENT_NEAR.test(text.slice(Math.max(0, at - 80), at))),
    starts: "acct|account",
  },
  {
    // "record #", "ID:" in a text about patients: the patient's record.
    type: "MEDICAL_RECORD_NUMBER",
    label: "record\\s*(?:#|no\\.?|number)|id\\s*(?:#|no\\.?|number)?",
    value: ID,
    score: 60,
    starts: "record|id",
    accept: (v, text, at) =>
      digitCount(v) >= 5 &&
      PATIENT_NEAR.test(text.slice(Math.max(0, at - 80), at)) &&
      !IT_ID_BEFORE.test(text.slice(Math.max(0, at - 20), at)) &&
      // "Coeur d'Alene, ID 83814": Idaho and its ZIP code.
      !(/^\d{5}(?:-\d{4})?$/.test(v) && /\p{Lu}[\p{L}'’-]*,?\s+$/u.test(text.slice(Math.max(0, at - 30), at))),
  },
  { type: "MEDICAL_RECORD_NUMBER", label: "mbi|medicare", value: MBI_PATTERN, score: 80, starts: "mbi|medicare" },
  {
    type: "MEDICAL_LICENSE",
    label: `npi${NUM}|${jsonKey("npi|\\w*_npi")}`,
    value: "\\d{10}",
    score: 80,
    filler: PRESCRIBER_FILLER,
    starts: "npi",
  },
  {
    type: "MEDICAL_LICENSE",
    label: `dea${NUM}|dea\\s+registration${NUM}|${jsonKey("dea|\\w*_dea")}`,
    value: "[A-Z][A-Z9]\\d{7}",
    score: 80,
    filler: PRESCRIBER_FILLER,
    starts: "dea",
  },
  {
    type: "MEDICAL_LICENSE",
    label: anyOf(
      `(?:state\\s+|medical\\s+|nursing\\s+|professional\\s+|board\\s+)?licen[cs]e${NUM}`,
      "lic\\.?(?:\\s*(?:#|no\\.?|number))?",
    ),
    filler: STATE_FILLER,
    value: "[A-Z]{0,5}[-. ]?\\d{3,10}(?:[-.][A-Z0-9]{1,4})?",
    score: 72,
    starts: "state|medical|nursing|professional|board|licen[cs]e|lic",
    accept: (v, text, at) =>
      digitCount(v) >= 4 && MEDICAL_CONTEXT.test(text) && !DRIVER_LABEL.test(text.slice(Math.max(0, at - 14), at + 14)),
  },
  {
    type: "US_DRIVER_LICENSE",
    label: anyOf(
      `driver'?s?\\s+licen[cs]e${NUM}`,
      `drivers?\\s+lic\\.?${NUM}`,
      `d\\.?l\\.?${NUM}`,
      `d/l${NUM}`,
      `cdl${NUM}`,
      `oln${NUM}`,
      `operator'?s?\\s+licen[cs]e${NUM}`,
      `licen[cs]e${NUM}`,
      "lic\\.?\\s*(?:#|no\\.?|number)",
      `driving\\s+licen[cs]e${NUM}`,
      `(?:learner'?s?\\s+)?permit\\s*(?:#|no\\.?|number)`,
      `(?:state\\s+)?id\\s+card${NUM}`,
      `state\\s+id${NUM}`,
      jsonKey("dl|dl_?(?:number|no)|drivers?_?licen[cs]e(?:_?(?:number|no))?|oln|license_?(?:number|no)"),
    ),
    filler: `${STATE_FILLER}|shows|reads|is|was|number|no\\.?|issued|by|in|from|on|file`,
    value: DL_VALUE,
    score: 70,
    stateBefore: true,
    starts: "driver|drivers|driving|d|cdl|oln|operator|licen[cs]e|lic|learner|permit|state|id",
    accept: (v, text, at) => {
      if (!licenceLike(v) || v.endsWith("-")) return false;
      const after = text.slice(at, at + 40).replace(/^\S+/, "");
      return !SOFTWARE_LICENCE.test(after);
    },
  },
  {
    type: "US_PASSPORT",
    label: anyOf(
      `passport(?:\\s+(?:card|book))?${NUM}`,
      `pp(?:t)?\\s*(?:#|no\\.?|number)`,
      `travel\\s+document${NUM}`,
      jsonKey("passport(?:_?(?:number|no))?"),
    ),
    filler: "(?:is|was|number|no\\.?|of|the|on|file|for|signer|\\(card\\)|card|book)",
    value: "[A-Z]{0,2}\\d{6,9}",
    score: 76,
    starts: "passport|pp|ppt|travel",
  },
  {
    type: "LICENSE_PLATE",
    label: anyOf(
      `(?:license\\s+|licence\\s+|registration\\s+)?plates?${NUM}`,
      "vehicle(?:\\s+(?:tag|plate|reg(?:istration)?))?",
      "veh\\.?",
      "(?:license|licence|vehicle)\\s+tag",
      `tags?${NUM}`,
      `registration${NUM}`,
      "reg\\.?\\s*(?:#|no\\.?|:)",
      "reg\\.",
      "(?:lic|lis|lp|lpn)\\s*[/#:]",
      // "veh 2014 Honda Civic blk, lic 8XYZ221": a bare "lic" is a plate's where a vehicle is described.
      "lic\\.?",
      "(?:alpr|lpr)(?:\\s+(?:hit|read|alert|camera))?",
      "(?:running|ran|run)",
      // Radio codes for a registration check: "10-28 on idaho 7TZ 441".
      "10-2[89]",
      jsonKey("plate|license_?plate|plate_?(?:number|no)|tag|vehicle_?(?:plate|tag)"),
    ),
    filler:
      `(?:query|lookup|look-up|check|search|read|reading|hit|ran|run|for|of|on|is|was|with|a|the|state|number|` +
      `no\\.?|${STATE_FILLER})`,
    value: "[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,5}",
    score: 70,
    stateBefore: true,
    accept: (v, text, at) => {
      const alnum = v.replace(/[^A-Za-z0-9]/g, "");
      const before = text.slice(Math.max(0, at - 10), at);
      // "service tag 7HQ4KX3" and "asset tag" are the MSP's, not a vehicle's.
      if (IT_TAG.test(before)) return false;
      const label = text.slice(at, at + 8).toLowerCase();
      // "hit-and-run at 9th": a word the value starts with is no plate's.
      if (/^(?:at|on|in|to|of|for|the|and|or|is|was|by|an?)[ -]/i.test(v)) return false;
      // "running 8KDT492" is a plate query in a law-enforcement text, not a program running.
      if (/^(?:running|ran|run)\b/.test(label) && !CJIS_CONTEXT.test(text)) return false;
      if (/^lic\.?\s/.test(label) && !VEHICLE_BEFORE.test(text.slice(Math.max(0, at - 80), at))) return false;
      return alnum.length >= 4 && alnum.length <= 8 && /\d/.test(alnum) && /[A-Za-z]/.test(alnum);
    },
    starts: "licen[cs]e|registration|plates?|vehicle|veh|tags?|reg|lic|lis|lpn?|alpr|lpr|running|ran|run|10-2",
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
      `oca${NUM}`,
      `(?:tcn|otn|pcn|atn|nic|cii|nysid|mni|spn|bci|iin)${NUM}`,
      `(?:master\\s+name|jail|person|subject|arrestee|defendant)\\s*(?:#|number|no\\.?|id)`,
      `(?:doc|offender|jacket|permanent)\\s*(?:#|number|no\\.?|id)`,
      `(?:police\\s+|incident\\s+|crash\\s+|accident\\s+|offense\\s+)?reports?${NUM}`,
      `citation${NUM}`,
      "(?:cad|dispatch)(?:\\s+(?:call|incident|event))?\\s*(?:#|number|no\\.?)?",
      "(?:call|event|complaint|incident)\\s*(?:#|number|no\\.?)",
      "cause\\s*(?:#|number|no\\.?)",
      "(?:rb|dr|cr|cfs|ir)\\s*#",
      "cfs",
      "calls?\\s+for\\s+service",
      // Plain "incident 2025-0011473": an incident number only in a law-enforcement text and by its shape.
      "(?:incident|event)",
      // Plain "call 25-003318": a year, a dash and a sequence, in a law-enforcement text.
      "call",
      jsonKey("fbi(?:_?number)?|sid|booking(?:_?(?:number|id|no))?|docket|warrant(?:_?no)?|inmate_?(?:no|number|id)"),
    ),
    value: ID,
    score: 74,
    accept: (v, text, at) => {
      if (!hasDigits(3)(v)) return false;
      const label = text.slice(at, at + 12).toLowerCase();
      // A report, call or incident number only in a law-enforcement text and shaped like one.
      if (/^(?:incident|event)(?!\s*(?:#|number|no))/.test(label)) {
        return CJIS_CONTEXT.test(text) && /^(?:19|20)?\d{2}-?\d{4,}$/.test(v);
      }
      if (/^call(?!\s*(?:#|number|no|for))/.test(label))
        return CJIS_CONTEXT.test(text) && /^(?:19|20)?\d{2}-\d{5,}$/.test(v);
      if (/^(?:reports?|call|event|complaint|incident|cad|dispatch)\b/.test(label)) {
        return CJIS_CONTEXT.test(text) && digitCount(v) >= 5 && !/^(?:inc|req|ritm|chg)/i.test(v);
      }
      return true;
    },
    starts:
      "fbi|ucn|sid|state|booking|inmate|arrest|warrant|docket|oca|tcn|otn|pcn|atn|nic|cii|nysid|mni|spn|bci|" +
      "iin|master|jail|person|subject|arrestee|defendant|doc|offender|jacket|permanent|police|incident|" +
      "crash|accident|offense|reports?|citation|cad|dispatch|call|event|complaint|cause|rb|dr|cr|cfs|ir",
  },
  {
    type: "CJIS_ID",
    label: `(?:court\\s+)?case${NUM}|${jsonKey("case(?:_?(?:number|no|id))?")}`,
    filler: "files?",
    value: ID,
    score: 72,
    starts: "court|case",
    accept: (v, text, at) => {
      const before = text.slice(Math.max(0, at - 30), at);
      // "Dell case 183829104": a case named after its vendor is a support case.
      return digitCount(v) >= 3 && !VENDOR_CASE.test(before) && !NAMED_BEFORE.test(before);
    },
  },
  {
    type: "US_SSN",
    label: `ssn${NUM}|ss#|soc\\s*[/#:]|social\\s+security${NUM}|${jsonKey("ssn|social_?security(?:_?number)?")}`,
    value: "\\d{3}[- ]?\\d{2}[- ]?\\d{4}",
    score: 82,
    starts: "ssn|ss|soc|social",
  },
];
