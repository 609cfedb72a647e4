import { describe, expect, test } from "bun:test";
import { filterText, LEVEL_TYPES } from "../src/filter/index.ts";

const TEXT = [
  "Requester: Tuan Hoang <thoang@maplehollowmg.com>, (406) 555-0123, from 10.14.3.77.",
  "SSN 811-75-5435, Visa 4556 0861 2979 5075, IBAN NL95 RABO 5171 0908 49,",
  "passport D19482736, driver's license R47109283.",
  "MRN 100428817, DOB 08/15/1958, NPI 1695481899, plate 3HXR771, booking DC24-4471, 4521 Ponderosa Way.",
].join("\n");

const typesAt = (level: "standard" | "hipaa" | "cjis") =>
  [...new Set(filterText(TEXT, level).entities.map((e) => e.type))].sort();

describe("each level removes exactly the types of the data README", () => {
  test("standard: SSNs, cards, IBANs, passports and driver's licences only", () => {
    expect(typesAt("standard")).toEqual(["CREDIT_CARD", "IBAN_CODE", "US_DRIVER_LICENSE", "US_PASSPORT", "US_SSN"]);
    const out = filterText(TEXT, "standard").text;
    for (const kept of ["Tuan Hoang", "thoang@maplehollowmg.com", "(406) 555-0123", "10.14.3.77", "100428817"]) {
      expect(out).toContain(kept);
    }
  });

  test("hipaa: standard plus people, contacts, places, medical ids, birth dates, IPs; no plates, no CJIS ids", () => {
    expect(typesAt("hipaa")).toEqual([...LEVEL_TYPES.hipaa].sort());
    expect(filterText(TEXT, "hipaa").text).toContain("plate 3HXR771, booking DC24-4471");
  });

  test("cjis: people, contacts, SSNs, licences, places, IPs, plates and CJIS ids; no cards or medical ids", () => {
    expect(typesAt("cjis")).toEqual([...LEVEL_TYPES.cjis].sort());
    const out = filterText(TEXT, "cjis").text;
    for (const kept of ["4556 0861 2979 5075", "NL95 RABO 5171 0908 49", "100428817", "08/15/1958", "1695481899"]) {
      expect(out).toContain(kept);
    }
  });
});
