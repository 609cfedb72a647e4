/**
 * The context the id rules (id-rules.ts) look at: states before a number, and the words that say
 * what a text is about.
 */
import { STATE_ABBRS, STATE_NAMES } from "./us-states.ts";

/** A state written before a licence or plate number: "OH TR448201", "Ohio DL RT118834", "plate (CA) 7KLM392". */
export const STATE_WORD = `(?:${[...STATE_ABBRS].join("|")}|${STATE_NAMES.join("|").replace(/ /g, "\\s+")})`;
/** Words between a prescriber number's label and its value: "DEA number on file BD4417783", "NPI is …". */
export const PRESCRIBER_FILLER = "is|was|on|file|listed|reads|shows|of|for|registration";
export const STATE_FILLER = `\\(?${STATE_WORD}\\)?`;

/** Text that makes a "license" a clinician's licence rather than a driver's. */
// biome-ignore format: a word list reads better packed
const MEDICAL_WORDS = [
  "npi", "dea", "md", "rn", "np", "lpn", "lvn", "aprn", "crna", "dds", "dmd", "rdh", "dpt", "lcsw", "lpc", "lmft",
  "physician", "provider", "clinician", "nurse", "nursing", "medical", "dental", "pharmacist", "pharmacy",
  "prescriber", "prescribing", "optometrist", "therapist", "counselor", "hygienist", "dentist", "clinic", "hospital",
  "hospice", "patient", "board", "credentialing",
];
export const MEDICAL_CONTEXT = new RegExp(`\\b(?:${MEDICAL_WORDS.join("|")})\\b`, "i");
export const DRIVER_LABEL = /\b(?:driver|drivers|driver's|dl|cdl|dmv)\b/i;
/** Software licences: "license key", "licence server", "50 licenses". */
export const SOFTWARE_LICENCE = /^\s*(?:key|code|server|file|count|seats?|pool|type|expir\w*|renewal)\b/i;

export const PATIENT_NEAR = new RegExp(
  "\\b(?:patient|pt|member|subscriber|resident|client|chart|insurance|insured|payer|plan|coverage|medicaid|" +
    "medicare|bcbs|aetna|cigna|humana|unitedhealthcare|uhc|anthem|kaiser)\\b",
  "i",
);
/** Ids that name IT or business things: "AnyDesk ID", "Persona inquiry id", "request id", "Submission ID". */
export const IT_ID_BEFORE = new RegExp(
  "\\b(?:anydesk|teamviewer|session|request|inquiry|tenant|device|user|login|app|client|transaction|event|trace|" +
    "correlation|message|msg|job|vendor|order|submission|form|response|meeting|zoom|webex|ticket|invoice|batch|" +
    "confirmation|tracking|workflow|instance|object|entry|asset|host|machine|computer|printer|deployment)\\s+$",
  "i",
);

/** Vendors' and support desks' case numbers are not court cases. */
export const VENDOR_CASE =
  /\b(?:vendor|support|rma|service|warranty|partner|tech|technical|carrier|microsoft|ms|dell|hp)\s+$/i;
export const NAMED_BEFORE = /\b[A-Z][A-Za-z]+\s+$/;
/** A vehicle described before a bare "lic": its plate follows. */
export const VEHICLE_BEFORE =
  /\b(?:veh|vehicle|car|truck|van|suv|sedan|pickup|motorcycle|trailer|plate|alpr|lpr|registered)\b/i;
/** Words that make a nearby "tag" or "registration" an IT one. */
export const IT_TAG =
  /\b(?:service|asset|name|price|hash|rfid|html|git|docker|image|version|release|product|domain|dns|device)\s+$/i;

/** Words of law enforcement and courts: "report", "running" and "call" name their ids only here. */
export const CJIS_CONTEXT = new RegExp(
  "\\b(?:police|sheriff|deputy|officer|sgt|cpl|trooper|detective|dispatch|cad|ncic|rms|mdt|jail|inmate|" +
    "booking|arrest\\w*|warrant|court|probation|parole|crash|citation|offense|incident|suspect|victim|" +
    "patrol|pd|so|911|psap|evidence|records)\\b",
  "i",
);
