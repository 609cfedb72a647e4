/**
 * JSON fields whose name says what they hold: their value is filtered as that, whatever its text
 * looks like ("phone": "5095550147" is a phone number even without separators), and fields that hold
 * IT identifiers (serial, hostname, service tag) are left alone.
 */
import type { EntityType } from "./levels.ts";

export type FieldRule =
  | { kind: "entity"; type: EntityType }
  | { kind: "name" }
  | { kind: "surname" }
  | { kind: "first" }
  | { kind: "keep" };

const entity = (type: EntityType): FieldRule => ({ kind: "entity", type });

/** Keys as regex alternatives, matched whole against the key lower-cased with only letters and digits kept. */
const keys = (alternatives: string): RegExp => new RegExp(`^(?:${alternatives.trim().split(/\s+/).join("|")})$`);

const RULES: [RegExp, FieldRule][] = [
  [keys("e?mail emailaddress \\w*email(?:address)?"), entity("EMAIL_ADDRESS")],
  [keys("\\w*phone(?:number)? mobile cell cellphone fax faxnumber tel telephone \\w*mobile"), entity("PHONE_NUMBER")],
  [
    keys(`ip ipaddr ipaddress ipv[46](?:address)?
      (?:host|public|private|lan|wan|client|server|source|src|dest|remote|local|last|login|device)ip(?:address)?`),
    entity("IP_ADDRESS"),
  ],
  [keys("ssn socialsecurity(?:number)? \\w+ssn"), entity("US_SSN")],
  [
    keys(
      `dob dateofbirth \\w*birthdate birthday \\w+dob admitdate admissiondate dischargedate dateofdeath deathdate
      deceaseddate dos dateofservice (?:appt|appointment|visit|service|encounter|procedure|surgery|admit|admission
      |discharge|death)(?:date|datetime|dt|on|at)`.replace(/\n\s*\|/g, "|"),
    ),
    entity("DATE_OF_BIRTH"),
  ],
  [
    keys(`mrn \\w*mrn medicalrecord(?:number|no|num|id)?
      (?:member|subscriber|patient|beneficiary|insured|enrollee)(?:id|number|no|num|acct|account|accountnumber)
      chart(?:number|id|no|num) mbi medica(?:id|re)(?:id|number|no) insuranceid policy(?:number|id|no) healthplanid
      (?:encounter|visit|fin|csn|har)(?:id|number|no)`),
    entity("MEDICAL_RECORD_NUMBER"),
  ],
  [keys("npi \\w+npi dea deanumber \\w+dea medicallicense statelicense"), entity("MEDICAL_LICENSE")],
  [
    keys("dl dl(?:number|no|num) drivers?licen[cs]e(?:number|no)? licen[cs]e(?:number|no|num) oln"),
    entity("US_DRIVER_LICENSE"),
  ],
  [keys("passport(?:number)?"), entity("US_PASSPORT")],
  [keys("creditcard(?:number)? cardnumber ccnumber cc pan"), entity("CREDIT_CARD")],
  [keys("iban"), entity("IBAN_CODE")],
  [
    keys(`address address[12] addressline[12]? street streetaddress city zip zipcode postalcode postcode
      (?:home|mailing|billing|shipping)address`),
    entity("LOCATION"),
  ],
  [keys("plate licenseplate platenumber"), entity("LICENSE_PLATE")],
  [
    keys(`fbi fbinumber sid statesid booking bookingnumber bookingid case casenumber caseid docket docketnumber
      warrant warrantnumber`),
    entity("CJIS_ID"),
  ],
  [keys("\\w*firstname \\w*givenname fname first given"), { kind: "first" }],
  [keys("\\w*lastname \\w*surname \\w*familyname lname last family"), { kind: "surname" }],
  [
    keys(`fullname displayname contactname requester requestername requestor patientname assignedto assignee
      technician techname employeename defendant caller callername officer officername providername physician
      doctor drivername inmate inmatename arrestee suspect victim witness applicant attorney judge clerk
      ownername reportedby createdby submittedby`),
    { kind: "name" },
  ],
  [
    keys(`serial serialnumber sn servicetag assettag hostname computername devicename mac macaddress model
      manufacturer version build osversion firmware kb sku partnumber ticketnumber ticketid uuid guid`),
    { kind: "keep" },
  ],
];

/** Objects under these keys describe a person, so their "name" is a person's. */
const PERSON_PARENTS = keys(`contacts? requesters? patients? users? people persons? employees? technicians? staff
  members? providers? officers? defendants? callers? owners? assignees? guarantors? attorneys? emergencycontacts?
  nextofkin subjects? inmates? drivers? victims? witnesses applicants?`);
/** Sibling keys that only a person's record has. */
const PERSON_SIBLINGS = keys("firstname lastname middlename dob dateofbirth mrn ssn jobtitle title role gender");
/** Keys that hold a person's name only where the record is a person's. */
const AMBIGUOUS_NAME_KEYS = new Set(["name", "contact", "owner", "provider", "driver", "user"]);

export const normalizeKey = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

export function fieldRule(key: string, parentKey: string | undefined, siblings: string[]): FieldRule | null {
  const k = normalizeKey(key);
  for (const [re, rule] of RULES) if (re.test(k)) return rule;
  if (AMBIGUOUS_NAME_KEYS.has(k)) {
    const parent = parentKey === undefined ? "" : normalizeKey(parentKey);
    if (PERSON_PARENTS.test(parent) || siblings.some((s) => PERSON_SIBLINGS.test(normalizeKey(s)))) {
      return { kind: "name" };
    }
  }
  return null;
}
