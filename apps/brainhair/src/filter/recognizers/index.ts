/** Every recognizer, with the entity types it can report (skipped when the level removes none of them). */
import type { Candidate, KeepSpan } from "../candidates.ts";
import type { EntityType } from "../levels.ts";
import type { Compiled } from "../options.ts";
import { persons } from "../persons/detect.ts";
import { eastAsianFamilyFirst } from "../persons/east-asian.ts";
import { captions, familyFirst } from "../persons/order.ts";
import { emails, phones } from "./contact.ts";
import { courtCases } from "./court-cases.ts";
import { personDates } from "./dates.ts";
import { cards, ibans, ssns } from "./financial.ts";
import { caretNames, hl7 } from "./hl7.ts";
import { labelledIds, topicalIds } from "./labelled.ts";
import { locations } from "./location.ts";
import { lookalikes } from "./lookalikes.ts";
import { ipv4s, ipv6s } from "./network.ts";
import { organisations } from "./organisations.ts";
import { records } from "./records.ts";
import { fieldsInText } from "./fields-in-text.ts";

type Recognizer = (text: string, options: Compiled) => Candidate[];

const ANY_ID: EntityType[] = [
  "MEDICAL_RECORD_NUMBER",
  "MEDICAL_LICENSE",
  "US_DRIVER_LICENSE",
  "US_PASSPORT",
  "LICENSE_PLATE",
  "CJIS_ID",
  "US_SSN",
];

export const RECOGNIZERS: [readonly EntityType[], Recognizer][] = [
  [["EMAIL_ADDRESS"], emails],
  [["PHONE_NUMBER"], phones],
  [["US_SSN"], ssns],
  [["CREDIT_CARD"], cards],
  [["IBAN_CODE"], ibans],
  [["IP_ADDRESS"], (t) => [...ipv4s(t), ...ipv6s(t)]],
  [["DATE_OF_BIRTH"], (t) => personDates(t)],
  [ANY_ID, (t) => [...labelledIds(t), ...topicalIds(t)]],
  [["CJIS_ID"], courtCases],
  [["LOCATION"], locations],
  [["PERSON", "LOCATION", "DATE_OF_BIRTH", "PHONE_NUMBER", "MEDICAL_RECORD_NUMBER", "US_SSN"], hl7],
  [ANY_ID.concat(["PERSON", "LOCATION", "DATE_OF_BIRTH", "PHONE_NUMBER"]), records],
  [ANY_ID.concat(["PERSON", "LOCATION", "DATE_OF_BIRTH", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS"]), fieldsInText],
  [
    ["PERSON"],
    (t, o) => [...caretNames(t), ...persons(t, o), ...captions(t), ...familyFirst(t, o), ...eastAsianFamilyFirst(t)],
  ],
];

export function keepSpans(text: string, options: Compiled): KeepSpan[] {
  return [...lookalikes(text), ...organisations(text, options)];
}
