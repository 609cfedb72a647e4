/** The id rules (id-rules.ts) of law enforcement and courts: FBI, SID, booking, warrant, report, case numbers. */
import { CJIS_CONTEXT, NAMED_BEFORE, VENDOR_CASE } from "./id-context.ts";
import type { IdRule } from "./id-rules.ts";
import { anyOf, digitCount, hasDigits, ID, jsonKey, NUM } from "./id-values.ts";

const AGENCY_BEFORE = new RegExp(
  "\\b(?:agency|pd|so|police|sheriff'?s?|court|criminal|district|county|municipal|superior|circuit|juvenile|" +
    "traffic|felony|misdemeanor)\\s+$",
  "i",
);

export const CJIS_RULES: IdRule[] = [
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
      // "NCIC 0008 SYSTEM BUSY" is an error code: a bare NCIC names a record only by its shape (W443817726).
      "ncic(?:\\s*(?:#|number|no\\.?|id))?",
      `(?:evidence|property)\\s*(?:item\\s*)?(?:#|number|no\\.?)`,
      `(?:master\\s+name|jail|person|subject|arrestee|defendant)\\s*(?:#|number|no\\.?|id)`,
      `(?:doc|offender|jacket|permanent)\\s*(?:#|number|no\\.?|id)`,
      `(?:police\\s+|incident\\s+|crash\\s+|accident\\s+|offense\\s+)?reports?${NUM}`,
      `citation${NUM}`,
      "(?:cad|dispatch)(?:\\s+(?:call|incident|event))?\\s*(?:#|number|no\\.?)?",
      "(?:call|event|complaint|incident)\\s*(?:#|number|no\\.?)",
      "cause\\s*(?:#|number|no\\.?)",
      // A records system's, sheriff's office's or police department's number: "RMS # 2024-118820", "SO# 24-44120".
      "(?:rms|so|pd)\\s*(?:#|number|no\\.)",
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
      if (/^ncic(?!\s*(?:#|number|no|id))/.test(label)) return /^[A-Z]\d{9}$/i.test(v);
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
      "iin|ncic|rms|so\\s*(?:#|no|number)|pd\\s*(?:#|no|number)|evidence|property|" +
      "master|jail|person|subject|arrestee|defendant|doc|offender|jacket|permanent|police|incident|" +
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
      // "Agency Case # 24-08812", "PD case 24-33109": an agency's own word before it keeps it a case.
      if (AGENCY_BEFORE.test(before)) return digitCount(v) >= 3;
      return digitCount(v) >= 3 && !VENDOR_CASE.test(before) && !NAMED_BEFORE.test(before);
    },
  },
];
