import { describe, expect, test } from "bun:test";
import { filterData, filterText } from "../src/filter/index.ts";

const out = (text: string, level: "standard" | "hipaa" | "cjis" = "hipaa") => filterText(text, level).text;

describe("dates of birth in the shapes and fields other writers use", () => {
  test("a month name with an apostrophe year, and year-month-day with the month's name", () => {
    expect(out("Birthdate: Sept 2, '58 per caller")).toBe("Birthdate: <DATE_OF_BIRTH> per caller");
    expect(out("dob 1949-Jan-27 on the wristband")).toBe("dob <DATE_OF_BIRTH> on the wristband");
  });

  test("a label ends its word and stops at a JSON field's quote", () => {
    const data = { visit_type: "walk-in", build: "2025.10.4", dosage: "2 tabs 01/02/2025" };
    expect(filterData(data, "hipaa")).toEqual(data);
    expect(out('{"dob": "1966-08-19", "release": "2024.11.2"}')).toBe(
      '{"dob": "<DATE_OF_BIRTH>", "release": "2024.11.2"}',
    );
  });

  test("an old date an IT word names three words back is kept", () => {
    expect(out("The warranty expiration date is 2009-03-31 for that server.")).toContain("2009-03-31");
    expect(out("Patient record shows 1958-03-31 in the birth field.")).not.toContain("1958-03-31");
  });
});

describe("record, member and group numbers", () => {
  test("a health plan's group number where the text is about patients or a plan", () => {
    expect(out("Claim denied: patient's grp no. 88120-B with Cigna")).toBe(
      "Claim denied: patient's grp no. <MEDICAL_RECORD_NUMBER> with Cigna",
    );
    expect(out("Add the user to AD group # 4410 for the file share")).toContain("4410");
  });

  test("encounter and health record numbers", () => {
    expect(out("Enc # 30018827 and health record no. 7781-22 merged")).toBe(
      "Enc # <MEDICAL_RECORD_NUMBER> and health record no. <MEDICAL_RECORD_NUMBER> merged",
    );
  });

  test("an HL7 identifier outside its segment, by its type code", () => {
    expect(out("Interface error on 44120-X^^^NORTHCLINIC^MR; retry queued")).toBe(
      "Interface error on <MEDICAL_RECORD_NUMBER>^^^NORTHCLINIC^MR; retry queued",
    );
    expect(out("PID-3 is 5520917^^^LAB^PI")).not.toContain("5520917");
    expect(out("Version 10^^^BUILD^XY stays")).toContain("10^^^BUILD^XY");
  });
});

describe("driver licences", () => {
  test("a DLN label", () => {
    expect(out("DLN W441-2209-8812 (WI) on the I-9 scan", "standard")).toBe(
      "DLN <US_DRIVER_LICENSE> (WI) on the I-9 scan",
    );
  });
});

describe("CJIS ids in police-report style", () => {
  test("NCIC numbers with a label or in their shape, not an NCIC error code", () => {
    expect(out("NCIC no. 88120931 and NCIC E228119043 returned", "cjis")).toBe(
      "NCIC no. <CJIS_ID> and NCIC <CJIS_ID> returned",
    );
    expect(out("NCIC 0012 TIMEOUT from the switch, officer retried", "cjis")).toContain("NCIC 0012 TIMEOUT");
  });

  test("records-system, sheriff's office, evidence and agency case numbers", () => {
    expect(out("RMS no. 25-00418, SO# 25-7712, evidence # E25-0091 from deputy", "cjis")).toBe(
      "RMS no. <CJIS_ID>, SO# <CJIS_ID>, evidence # <CJIS_ID> from deputy",
    );
    expect(out("PD case 25-00331 and Dell case 188220931", "cjis")).toBe("PD case <CJIS_ID> and Dell case 188220931");
  });
});

describe("locations police and clinics write without a full address", () => {
  test("an intersection with an ordinal or a street type", () => {
    expect(out("Collision at Oak and 12th, units on scene", "cjis")).toBe("Collision at <LOCATION>, units on scene");
    expect(out("Meeting near Cedar Ave & Hill", "cjis")).toBe("Meeting near <LOCATION>");
    expect(out("Invoice from Baker and Sons at Baker and Sons", "cjis")).toContain("Baker and Sons");
  });

  test("a block, a mile marker, and a milepost where a highway is named", () => {
    expect(out("Suspect seen in the 2300 block of N Lincoln Ave", "cjis")).toBe("Suspect seen in the <LOCATION>");
    expect(out("Disabled car on US-93 MP 118.5, units notified", "cjis")).toBe(
      "Disabled car on US-93 <LOCATION>, units notified",
    );
    expect(out("Set MP 4 on the printer tray", "cjis")).toContain("MP 4");
  });

  test("a known city before a site described in lower case; a street with no type; more abbreviations", () => {
    expect(out("The Missoula urgent care clinic scanner is down")).toBe(
      "The <LOCATION> urgent care clinic scanner is down",
    );
    expect(out("Pt moved to 410 W Broadway, Helena, MT")).not.toContain("Broadway");
    expect(out("Mail goes to 12 Alder Cres, Ketchikan AK 99901")).toBe(
      "Mail goes to <LOCATION>, <LOCATION> AK <LOCATION>",
    );
  });
});
