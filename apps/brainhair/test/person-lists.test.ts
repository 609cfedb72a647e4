import { describe, expect, test } from "bun:test";
import { filterText } from "../src/filter/index.ts";

const cjis = (text: string) => filterText(text, "cjis").text;

describe("lists of surnames alone", () => {
  test("after a plural title, every surname of the list", () => {
    expect(cjis("Nights: Deputies Halvorsen, Abernathy-Cho and Mbeki. Kronos tab missing.")).toBe(
      "Nights: Deputies H., A. and M. Kronos tab missing.",
    );
    expect(cjis("Drs. Patel and Shah need Epic.")).toBe("Drs. P. and S. need Epic.");
    expect(cjis("Officers Ana Ruiz and Bo Lee")).toBe("Officers Ana R. and Bo L.");
  });

  test("three or more well-known surnames, not read as 'Last, First'", () => {
    expect(cjis("Handoff: Kowalski, Thibodeaux and Nakagawa covered the consoles.")).toBe(
      "Handoff: K., T. and N. covered the consoles.",
    );
    expect(cjis("Garcia, Lopez, Martinez and Hernandez need badges.")).toBe("G., L., M. and H. need badges.");
    expect(cjis("Bui, Linh and Tran, Minh both called.")).toBe("Linh B. and Minh T. both called.");
  });

  test("lists of places, products, days and vendors hold no person", () => {
    for (const text of [
      "Sites: Kingman, Flagstaff and Prescott",
      "Install Okta, Intune and Jamf on LT-04.",
      "Dell, Lenovo and HP laptops",
      "Monday, Tuesday and Friday",
      "Vendors: Sophos, Datto, Huntress and Kaseya",
    ]) {
      expect(filterText(text, "cjis").entities.filter((e) => e.type === "PERSON")).toEqual([]);
    }
  });
});
