import { describe, expect, test } from "bun:test";
import { parseLabelled } from "../src/filter/eval/labelled.ts";
import { occurs } from "../src/filter/eval/occurs.ts";
import { rate, score } from "../src/filter/eval/score.ts";

describe("a value occurs in the output as the data README compares them", () => {
  test("regardless of case", () => {
    expect(occurs("Patient JOHANSSON was seen", "Johansson")).toBe(true);
  });

  test("after Unicode NFKC normalisation", () => {
    // Full-width digits and the "ﬁ" ligature are the same text once normalised.
    expect(occurs("SSN １２３-４５-６７８９ on ﬁle", "123-45-6789")).toBe(true);
    expect(occurs("on file", "ﬁle")).toBe(true);
  });

  test("with runs of whitespace collapsed", () => {
    expect(occurs("Tuan \n  Hoang called", "Tuan Hoang")).toBe(true);
    expect(occurs("Tuan Hoang called", "Tuan\tHoang")).toBe(true);
  });

  test("but not inside a longer word or number", () => {
    expect(occurs("the client called", "Li")).toBe(false);
    expect(occurs("plate 44100 read", "4410")).toBe(false);
    expect(occurs("adaeze e. called", "eze")).toBe(false);
    expect(occurs("Li called the client", "Li")).toBe(true);
  });

  test("a value edged with punctuation only needs its letter or digit edges to stand free", () => {
    expect(occurs("call(406) 555-0123now", "(406) 555-0123")).toBe(false);
    expect(occurs("call:(406) 555-0123.", "(406) 555-0123")).toBe(true);
  });
});

describe("recall and keep-rate over labelled items", () => {
  const items = parseLabelled(
    [
      JSON.stringify({
        id: "a",
        level: "hipaa",
        text: "Kofi Asante, MRN 100428817, on EFP-INT01",
        sensitive: [
          { type: "PERSON", value: "Kofi Asante" },
          { type: "MEDICAL_RECORD_NUMBER", value: "100428817" },
        ],
        keep: ["EFP-INT01"],
      }),
      JSON.stringify({
        id: "b",
        level: "cjis",
        text: "Zuercher on MDT-31",
        sensitive: [],
        keep: ["Zuercher", "MDT-31"],
      }),
    ].join("\n"),
  );

  test("a value counts as protected when it no longer occurs; a keep string when it still does", () => {
    const s = score(items, (text) => text.replace("Asante", "A.").replace("MDT-31", "<X>"));
    expect(s.recall).toEqual({ hit: 1, total: 2 });
    expect(s.misses).toEqual([{ id: "a", type: "MEDICAL_RECORD_NUMBER", value: "100428817" }]);
    expect(s.keep).toEqual({ hit: 2, total: 3 });
    expect(s.lost).toEqual([{ id: "b", value: "MDT-31" }]);
    expect(s.byType.get("PERSON")).toEqual({ hit: 1, total: 1 });
    expect(s.byLevel.get("cjis")?.keep).toEqual({ hit: 1, total: 2 });
    expect(rate(s.recall)).toBe(0.5);
  });

  test("a failed call protects nothing and keeps nothing", () => {
    const s = score(items, (text) => {
      if (text.startsWith("Kofi")) throw new Error("boom");
      return text;
    });
    expect(s.failures).toEqual([{ id: "a", error: "Error: boom" }]);
    expect(s.recall.hit).toBe(0);
    expect(s.keep).toEqual({ hit: 2, total: 3 });
  });

  test("labelled items whose values are not in their text are refused", () => {
    const bad = JSON.stringify({
      id: "x",
      level: "hipaa",
      text: "nothing",
      sensitive: [{ type: "PERSON", value: "Ann" }],
      keep: [],
    });
    expect(() => parseLabelled(bad)).toThrow('"Ann" is not in the text');
    expect(() =>
      parseLabelled(JSON.stringify({ id: "y", level: "top-secret", text: "", sensitive: [], keep: [] })),
    ).toThrow("needs id, level");
  });
});
