import { describe, expect, test } from "bun:test";
import { safeTarget } from "../src/sign-in/targets.ts";

/**
 * Where a browser goes after sign-in. Two layers guard the rule "a path on this site, else /":
 * the raw target and each of its percent-decodings are checked as text, and the URL it
 * normalises to is checked again. Each layer is pinned on its own here, with the exact answer,
 * so losing one layer fails even while the other still happens to block the attack.
 */
describe("safeTarget keeps a path on this site as it is", () => {
  test("path, query and fragment, normalised", () => {
    expect(safeTarget("/echo/page?x=1#top")).toBe("/echo/page?x=1#top");
    expect(safeTarget("/codex/")).toBe("/codex/");
    expect(safeTarget("/")).toBe("/");
    expect(safeTarget("/a/./b/../c")).toBe("/a/c");
    expect(safeTarget("/caf%C3%A9")).toBe("/caf%C3%A9");
  });

  test("up to 2048 characters", () => {
    const longest = `/${"a".repeat(2047)}`;
    expect(safeTarget(longest)).toBe(longest);
    expect(safeTarget(`/${"a".repeat(2048)}`)).toBe("/");
  });
});

describe("safeTarget sends anything else to /", () => {
  test("nothing, or not text", () => {
    for (const raw of [null, undefined, "", 42 as never]) expect(safeTarget(raw)).toBe("/");
  });

  test("the raw text: scheme-relative, backslash, absolute, script, control characters", () => {
    for (const raw of [
      "//evil.example",
      "/\\evil.example",
      "\\/evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/a\u0000b",
      "/a\u001fb",
      "/a\u007fb",
      "/a\tb",
      "/a b",
      " /a",
    ]) {
      expect([raw, safeTarget(raw)]).toEqual([raw, "/"]);
    }
  });

  test("layer one, decoding: an encoded // or backslash is refused, however many times encoded", () => {
    // The URL layer alone would let these through as harmless-looking paths such as /%2F%2Fevil.example.
    for (const raw of [
      "/%2F%2Fevil.example",
      "/%2f/evil.example",
      "/%5Cevil.example",
      "/%252F%252Fevil.example",
      "/%25252F%25252Fevil.example",
      "/%00",
      "/%0D%0ALocation:%20x",
      "%2F%2Fevil.example",
    ]) {
      expect([raw, safeTarget(raw)]).toEqual([raw, "/"]);
    }
  });

  test("layer one: decoded up to three times to a settled path; one still encoded after four decodings is refused", () => {
    // /a%252541 → /a%2541 → /a%41 → /aA (settled after three); one more layer of %25 needs a fourth.
    expect(safeTarget("/a%252541")).toBe("/a%252541");
    expect(safeTarget("/a%25252541")).toBe("/");
  });

  test("layer one: a malformed percent-escape is refused", () => {
    for (const raw of ["/%E0%A4%A", "/%", "/%ZZ", "/%25E0%25A4"]) expect([raw, safeTarget(raw)]).toEqual([raw, "/"]);
  });

  test("layer two, the normalised URL: dot segments that collapse into // are refused", () => {
    // Each passes the text checks (one leading slash, nothing encoded) and only normalising shows the //.
    for (const raw of ["/..//evil.example", "/a/..//evil.example", "/./%2e%2e//evil.example", "/.//evil.example"]) {
      expect([raw, safeTarget(raw)]).toEqual([raw, "/"]);
    }
  });
});
