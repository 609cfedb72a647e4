import { expect, test } from "bun:test";
import { filterText } from "../src/filter/index.ts";

const hipaa = (text: string) => filterText(text, "hipaa").text;

test("a Chinese or Korean family name before a hyphenated given name, in any one case", () => {
  expect(hipaa("sorry - chen wei-ling and rajesh kumar were out.")).toBe("sorry - wei-ling C. and rajesh K. were out.");
  expect(hipaa("Kim Ji-hoon needs a token.")).toBe("Ji-hoon K. needs a token.");
  expect(hipaa("Wang Xiao-Ming called")).toBe("Xiao-Ming W. called");
  expect(hipaa("LOCKOUT KIM JI-HOON")).toBe("LOCKOUT JI-HOON K.");
  expect(hipaa("Dr. Park Hyun-woo is here")).toBe("Dr. Hyun-woo P. is here");
});

test("no family name, or a given name no syllables make, is left to the other readings", () => {
  expect(hipaa("Run the Ho-Chunk site patch")).toBe("Run the Ho-Chunk site patch");
  expect(hipaa("The Wi-Fi on Dell Latitude 5440 drops")).toBe("The Wi-Fi on Dell Latitude 5440 drops");
  expect(hipaa("so he re-ran it and he co-signed the form")).toBe("so he re-ran it and he co-signed the form");
});
