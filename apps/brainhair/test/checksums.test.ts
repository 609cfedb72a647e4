import { describe, expect, test } from "bun:test";
import { cardValid, deaValid, ibanValid, luhnValid, npiValid, ssnValid } from "../src/filter/checksums.ts";
import { filterText } from "../src/filter/index.ts";

describe("check digits and issuing rules", () => {
  test("payment cards need Luhn and a network's prefix and length", () => {
    expect(luhnValid("79927398713")).toBe(true);
    expect(cardValid("4556086129795075")).toBe(true); // Visa
    expect(cardValid("5591292544327098")).toBe(true); // Mastercard
    expect(cardValid("379619484024252")).toBe(true); // American Express
    expect(cardValid("4556086129795076")).toBe(false); // one digit off
    expect(cardValid("7726881044910009")).toBe(false); // Luhn-valid, but no card network starts with 7
    expect(cardValid("42424242424242")).toBe(false); // Visa prefix, 14 digits
  });

  test("IBANs need their country's length and mod 97", () => {
    expect(ibanValid("NL95 RABO 5171 0908 49")).toBe(true);
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("DE88370400440532013000")).toBe(false);
    expect(ibanValid("DE8937040044053201300")).toBe(false); // a digit short for Germany
    expect(ibanValid("XX89370400440532013000")).toBe(false);
  });

  test("NPIs are Luhn over 80840 and the number", () => {
    expect(npiValid("1695481899")).toBe(true);
    expect(npiValid("1695481898")).toBe(false);
    expect(npiValid("3695481899")).toBe(false); // must start with 1 or 2
  });

  test("SSNs follow the SSA's area, group and serial rules", () => {
    expect(ssnValid("123456789")).toBe(true);
    for (const invalid of ["000123456", "666123456", "900123456", "123006789", "123450000"]) {
      expect(ssnValid(invalid)).toBe(false);
    }
  });

  test("DEA numbers carry a check digit", () => {
    expect(deaValid("AN2538289")).toBe(true);
    expect(deaValid("AN2538288")).toBe(false);
    expect(deaValid("IN2538289")).toBe(false); // no registrant type I
  });
});

describe("only numbers that pass their checks are removed", () => {
  const kept = (text: string, level: "standard" | "hipaa" | "cjis" = "hipaa") => filterText(text, level).text;

  test("a card number is removed, a Luhn-invalid look-alike kept", () => {
    expect(kept("Visa 4556 0861 2979 5075 on file", "standard")).toBe("Visa <CREDIT_CARD> on file");
    expect(kept("order 4556 0861 2979 5076 shipped", "standard")).toBe("order 4556 0861 2979 5076 shipped");
  });

  test("an IBAN is removed, one with wrong check digits kept", () => {
    expect(kept("IBAN NL95 RABO 5171 0908 49 please", "standard")).toBe("IBAN <IBAN_CODE> please");
    expect(kept("ref NL96 RABO 5171 0908 49 please", "standard")).toBe("ref NL96 RABO 5171 0908 49 please");
  });

  test("an NPI without its label is removed only when its check digit is right", () => {
    const table =
      "| Provider | NPI |\n| Dr. Ravi Nair | 1695481899 |\nAlso seen in the NPI export: 1695481898, 1903420994.";
    const out = kept(table);
    expect(out).not.toContain("1695481899");
    expect(out).not.toContain("1903420994");
    expect(out).toContain("1695481898");
  });

  test("an SSN-shaped number breaking the SSA's rules is kept", () => {
    expect(kept("SSN 811-75-5435 and form 000-12-3456 and 666-12-3456", "standard")).toBe(
      "SSN <US_SSN> and form 000-12-3456 and 666-12-3456",
    );
  });

  test("a DEA number needs its check digit unless labelled", () => {
    expect(kept("Dr. Nair's prescriber ids: AN2538289, part AN2538288")).toBe(
      "Dr. N.'s prescriber ids: <MEDICAL_LICENSE>, part AN2538288",
    );
  });
});
