import { describe, expect, test } from "bun:test";
import { filterData, type Json } from "../src/filter/index.ts";

describe("JSON values are walked recursively", () => {
  test("nested {tickets: [...]}: keys kept, every string filtered, other values untouched", () => {
    const value: Json = {
      tickets: [
        {
          id: 33102,
          open: true,
          subject: "Fax failed",
          notes: ["Referral for patient Bui, Linh (DOB 08/15/1958)", null],
        },
        { id: 33103, open: false, subject: "Printer", notes: [] },
      ],
      total: 2,
    };
    expect(filterData(value, "hipaa")).toEqual({
      tickets: [
        {
          id: 33102,
          open: true,
          subject: "Fax failed",
          notes: ["Referral for patient Linh B. (DOB <DATE_OF_BIRTH>)", null],
        },
        { id: 33103, open: false, subject: "Printer", notes: [] },
      ],
      total: 2,
    });
  });

  test("the value passed in is not changed", () => {
    const value = { requester: "John Smith" };
    filterData(value, "hipaa");
    expect(value).toEqual({ requester: "John Smith" });
  });
});

describe("fields are filtered by what their name says they hold", () => {
  test("email, phone and IP fields whatever their text looks like, numbers included", () => {
    const value = { email: "front desk", mobile: 5095550147, ip_address: "printer-vlan", site_phone: "ext 12" };
    expect(filterData(value, "hipaa")).toEqual({
      email: "<EMAIL_ADDRESS>",
      mobile: "<PHONE_NUMBER>",
      ip_address: "<IP_ADDRESS>",
      site_phone: "<PHONE_NUMBER>",
    });
  });

  test("first_name stays, last_name becomes its initial, a contact's name its first name and initial", () => {
    const value: Json = {
      contacts: [
        { first_name: "Freya", last_name: "Johansson", title: "Billing" },
        { name: "Rutger de Vries", email: "rdevries@claimsbridge.com" },
      ],
    };
    expect(filterData(value, "hipaa")).toEqual({
      contacts: [
        { first_name: "Freya", last_name: "J.", title: "Billing" },
        { name: "Rutger V.", email: "<EMAIL_ADDRESS>" },
      ],
    });
  });

  test("a company's or a device's name is not a person's", () => {
    const value = { company: { name: "Granite Peak Orthodontics" }, asset: { name: "GPO-SRV1", serial: "1695481899" } };
    expect(filterData(value, "hipaa")).toEqual(value);
  });

  test("IT identifiers in serial and hostname fields are kept even when shaped like something else", () => {
    const value = { serial: "811-75-5435", hostname: "AF-OWNER-PC", service_tag: "7HQ4KX3" };
    expect(filterData(value, "standard")).toEqual(value);
  });

  test("a field's type is only removed at a level that removes it", () => {
    const value = { email: "jess@alderfinch.com", phone: "406-555-0188", ssn: "811-75-5435", ip: "10.14.3.77" };
    expect(filterData(value, "standard")).toEqual({ ...value, ssn: "<US_SSN>" });
  });
});

describe("a person is replaced the same way everywhere in the value", () => {
  test("a surname found in one string is found in the others", () => {
    const value = {
      requester: "Smith, John",
      notes: "Called Smith back. Mr. Smith asked for John Smith's laptop.",
      history: [{ text: "smithfield switch replaced" }],
    };
    expect(filterData(value, "hipaa")).toEqual({
      requester: "John S.",
      notes: "Called S. back. Mr. S. asked for John S.'s laptop.",
      history: [{ text: "smithfield switch replaced" }],
    });
  });

  test("people named in free text are carried to other fields too", () => {
    const value = {
      description: "Patient Olena Bondarenko cannot log in.",
      resolution: "Reset Bondarenko's password.",
    };
    expect(filterData(value, "hipaa")).toEqual({
      description: "Patient Olena B. cannot log in.",
      resolution: "Reset B.'s password.",
    });
  });
});
