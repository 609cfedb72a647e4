import { expect, test } from "bun:test";
import { filterData, filterText } from "../src/filter/index.ts";

// The "before" and "after" of ../shared/seeds/architecture-v4.0.md, "PHI/CJIS Filtering", verbatim.
const BEFORE = {
  requester: "John Smith",
  email: "john.smith@example.com",
  phone: "555-123-4567",
  description: "Need help with SSN 123-45-6789",
  ip_address: "192.168.1.100",
};
const AFTER = {
  requester: "John S.",
  email: "<EMAIL_ADDRESS>",
  phone: "<PHONE_NUMBER>",
  description: "Need help with SSN <US_SSN>",
  ip_address: "<IP_ADDRESS>",
};

test("the seed's example is filtered at hipaa exactly as the seed shows, as data", () => {
  expect(filterData(BEFORE, "hipaa")).toEqual(AFTER);
});

test("the seed's example is filtered at hipaa exactly as the seed shows, as JSON text", () => {
  const before = JSON.stringify(BEFORE, null, 2);
  const result = filterText(before, "hipaa");
  expect(result.text).toBe(JSON.stringify(AFTER, null, 2));
  expect(result.entities.map((e) => [e.type, before.slice(e.start, e.end)])).toEqual([
    ["PERSON", "John Smith"],
    ["EMAIL_ADDRESS", "john.smith@example.com"],
    ["PHONE_NUMBER", "555-123-4567"],
    ["US_SSN", "123-45-6789"],
    ["IP_ADDRESS", "192.168.1.100"],
  ]);
});
