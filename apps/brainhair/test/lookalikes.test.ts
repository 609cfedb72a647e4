import { describe, expect, test } from "bun:test";
import { filterText } from "../src/filter/index.ts";

const survives = (text: string, level: "hipaa" | "cjis" = "hipaa") => {
  const result = filterText(text, level);
  expect(result.entities.map((e) => text.slice(e.start, e.end))).toEqual([]);
  expect(result.text).toBe(text);
};

describe("look-alikes that IT work needs survive at hipaa and cjis", () => {
  test("KB, CVE and build numbers, and Windows versions", () => {
    survives("KB5036980 failed on Windows 11 23H2 build 22631.3447; CVE-2024-38063 is patched.");
    survives("Windows Server 2022 build 20348.2402 and Office 16.0.17928.20156 on CPA-SQL01.", "cjis");
  });

  test("versions shaped like IP addresses, next to a real address that goes", () => {
    const text = "Firmware 1.0.2.5 on the mics; agent version 7.4.2.1; the host is at 10.14.3.77.";
    expect(filterText(text, "hipaa").text).toBe(
      "Firmware 1.0.2.5 on the mics; agent version 7.4.2.1; the host is at <IP_ADDRESS>.",
    );
  });

  test("asset tags, hostnames, service tags, serials and ticket numbers", () => {
    survives(
      "Ticket #33102 / INC-2024-00872: MHMG-LT-0310 (service tag 7HQ4KX3, serial PHBQK93021) on lpr.lakemontpd.local.",
    );
  });

  test("remote-support ids, tracking numbers and vendor case numbers", () => {
    survives("AnyDesk 482 915 337 and TeamViewer 1 482 993 021 for the session.");
    survives("FedEx tracking 7726 8810 4491; Dell case 183829104; Microsoft case 2405160040001234.", "cjis");
  });

  test("error codes and printer models", () => {
    survives("Error 0x800f081f, then 550 5.4.1 on the Kyocera ECOSYS M3655idn and the Lexmark MX822.");
  });

  test("dates that are not tied to a person", () => {
    survives("Maintenance window 2024-12-07 from 22:00; patching on 12/14 after 6 pm.");
  });
});

describe("companies, products and states are not people or places", () => {
  test("a client company named after its partners stays whole", () => {
    survives("Alder & Finch CPAs and Smith & Jones LLP both renewed their Microsoft 365 plans.");
  });

  test("the caller's client companies and products are never people", () => {
    const text = "Asked Tyler Grant about the Mason Porter rollout for Carter Wells.";
    // Without the options both read as people.
    expect(filterText(text, "hipaa").text).toBe("Asked Tyler G. about the Mason P. rollout for Carter W.");
    const options = { companies: ["Carter Wells"], products: ["Mason Porter"] };
    expect(filterText(text, "hipaa", options).text).toBe(
      "Asked Tyler G. about the Mason Porter rollout for Carter Wells.",
    );
  });

  test("a company's surname-like word is protected inside the company but not elsewhere", () => {
    expect(filterText("John Smith of Smith & Jones LLP called.", "hipaa").text).toBe(
      "John S. of Smith & Jones LLP called.",
    );
    const options = { companies: ["Smith & Jones"] };
    expect(filterText("Smith & Jones asked about John Smith.", "hipaa", options).text).toBe(
      "Smith & Jones asked about John S.",
    );
  });

  test("US states stay, the city and ZIP code beside them go", () => {
    expect(filterText("Ship to 1609 Juniper Hill Rd, Bozeman, MT 59715 (Montana office).", "hipaa").text).toBe(
      "Ship to <LOCATION>, <LOCATION>, MT <LOCATION> (Montana office).",
    );
  });
});
