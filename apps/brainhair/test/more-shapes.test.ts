import { describe, expect, test } from "bun:test";
import { filterText } from "../src/filter/index.ts";

const hipaa = (text: string) => filterText(text, "hipaa").text;
const cjis = (text: string) => filterText(text, "cjis").text;

describe("identifiers in shapes the development set did not show", () => {
  test("a number dialled with the 00 international prefix, after a phone word", () => {
    expect(hipaa("mobile 0044 7700 900461, not the old one")).toBe("mobile <PHONE_NUMBER>, not the old one");
    expect(hipaa("call 0033 1 42 68 53 00 today")).toBe("call <PHONE_NUMBER> today");
    expect(hipaa("serial 0012 3456 7890")).toBe("serial 0012 3456 7890");
  });

  test("a number dialled within another country, its trunk 0 first, after a phone word", () => {
    expect(hipaa("UK mobile 07700 900123 for the patient's son.")).toBe(
      "UK mobile <PHONE_NUMBER> for the patient's son.",
    );
    expect(hipaa("fax 02 9374 4000")).toBe("fax <PHONE_NUMBER>");
    expect(hipaa("phone 07:30 to 09:00, build 01.2024.0031")).toBe("phone 07:30 to 09:00, build 01.2024.0031");
  });

  test("streets named with their type first: Calle, Camino, Paseo, Rue…", () => {
    expect(hipaa("Patient moved to 19 Camino Real Apt 4")).toBe("Patient moved to <LOCATION>");
    expect(hipaa("Emergency contact: 22 Rue Lafayette, Apt 5, not the old one.")).toBe(
      "Emergency contact: <LOCATION>, not the old one.",
    );
    expect(hipaa("Home: 88 Calle del Sol, Santa Fe, NM 87505")).toBe("Home: <LOCATION>, <LOCATION>, NM <LOCATION>");
  });

  test("words between a prescriber number's label and its value", () => {
    expect(hipaa("DEA number on file BD4417783.")).toBe("DEA number on file <MEDICAL_LICENSE>.");
    expect(hipaa("Her NPI is 1245319599")).toBe("Her NPI is <MEDICAL_LICENSE>");
  });

  test("a bare account number right after a person's name is theirs, at hipaa", () => {
    expect(hipaa("Last result for Abdirahman Farah, acct 3300918452. Quest order ORD-118822.")).toBe(
      "Last result for Abdirahman F., acct <MEDICAL_RECORD_NUMBER>. Quest order ORD-118822.",
    );
    expect(hipaa("Lin Wu (account 4400918) called")).toBe("Lin W. (account <MEDICAL_RECORD_NUMBER>) called");
    expect(hipaa("Comcast account 8812004471 for the office")).toBe("Comcast account 8812004471 for the office");
  });

  test("a plain 'call' before a year-dash-sequence number in a law-enforcement text", () => {
    expect(cjis("Dispatch 911 audio from call 25-003318 did not export.")).toBe(
      "Dispatch 911 audio from call <CJIS_ID> did not export.",
    );
    expect(cjis("call 555-0142 for the sheriff")).toBe("call <PHONE_NUMBER> for the sheriff");
  });
});

describe("names the development set did not show", () => {
  test("Jun is a given name, as June is", () => {
    expect(hipaa("Only Jun Watanabe has the tablet.")).toBe("Only Jun W. has the tablet.");
    expect(hipaa("Maintenance Jun 14 on SQL-01")).toBe("Maintenance Jun 14 on SQL-01");
  });

  test("an initial before a surname no list has, shaped like one", () => {
    expect(hipaa("Scan-to-folder for A. Okonjo still points at FS01.")).toBe(
      "Scan-to-folder for A. O. still points at FS01.",
    );
  });
});
