/** The compliance levels and the entity types each one removes (../shared/data/README.md). */

export type Level = "standard" | "hipaa" | "cjis";

export type EntityType =
  | "PERSON"
  | "EMAIL_ADDRESS"
  | "PHONE_NUMBER"
  | "US_SSN"
  | "CREDIT_CARD"
  | "IBAN_CODE"
  | "US_PASSPORT"
  | "US_DRIVER_LICENSE"
  | "LOCATION"
  | "MEDICAL_LICENSE"
  | "MEDICAL_RECORD_NUMBER"
  | "DATE_OF_BIRTH"
  | "IP_ADDRESS"
  | "LICENSE_PLATE"
  | "CJIS_ID";

const STANDARD: EntityType[] = ["US_SSN", "CREDIT_CARD", "IBAN_CODE", "US_PASSPORT", "US_DRIVER_LICENSE"];

export const LEVEL_TYPES: Record<Level, ReadonlySet<EntityType>> = {
  standard: new Set(STANDARD),
  hipaa: new Set<EntityType>([
    ...STANDARD,
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "LOCATION",
    "MEDICAL_LICENSE",
    "MEDICAL_RECORD_NUMBER",
    "DATE_OF_BIRTH",
    "IP_ADDRESS",
  ]),
  cjis: new Set<EntityType>([
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "US_DRIVER_LICENSE",
    "LOCATION",
    "IP_ADDRESS",
    "LICENSE_PLATE",
    "CJIS_ID",
  ]),
};

export const LEVELS = Object.keys(LEVEL_TYPES) as Level[];

export function isLevel(value: unknown): value is Level {
  return typeof value === "string" && Object.hasOwn(LEVEL_TYPES, value);
}
