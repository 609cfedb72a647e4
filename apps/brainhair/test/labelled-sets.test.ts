import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadLabelled } from "../src/filter/eval/labelled.ts";
import { rate, score } from "../src/filter/eval/score.ts";
import { filterText } from "../src/filter/index.ts";

const filter = (text: string, level: "standard" | "hipaa" | "cjis") => filterText(text, level).text;

describe("labelled cases written for this filter (different names, shapes and organisations)", () => {
  const items = loadLabelled(join(import.meta.dir, "data", "phi-own.jsonl"));

  test("cover the three levels with at least 40 items", () => {
    expect(items.length).toBeGreaterThanOrEqual(40);
    for (const level of ["standard", "hipaa", "cjis"]) expect(items.some((i) => i.level === level)).toBe(true);
  });

  test("recall ≥ 0.98, keep-rate ≥ 0.97, no type below 0.90, no failed call", () => {
    const s = score(items, filter);
    expect(s.failures).toEqual([]);
    expect(rate(s.recall)).toBeGreaterThanOrEqual(0.98);
    expect(rate(s.keep)).toBeGreaterThanOrEqual(0.97);
    for (const [type, tally] of s.byType) expect([type, rate(tally)]).toEqual([type, expect.any(Number)]);
    expect(Math.min(...[...s.byType.values()].map(rate))).toBeGreaterThanOrEqual(0.9);
  });
});

describe("more labelled cases: own sets 2 to 6, the lead's set and blind set A (tuning sets)", () => {
  const sets: [string, number, number][] = [
    // [file, recall at least, keep-rate at least]: each met with head-room when these were set.
    ["phi-own-2.jsonl", 0.98, 0.97],
    ["phi-own-3.jsonl", 0.98, 0.97],
    ["phi-own-4.jsonl", 0.98, 0.97],
    ["phi-own-5.jsonl", 0.98, 0.97],
    ["phi-own-6.jsonl", 0.98, 0.97],
    ["phi-lead.jsonl", 0.98, 0.97],
    ["phi-blind-a.jsonl", 0.98, 0.97],
  ];
  for (const [file, recall, keep] of sets) {
    test(`${file}: recall ≥ ${recall}, keep-rate ≥ ${keep}, no type below 0.90, no failed call`, () => {
      const s = score(loadLabelled(join(import.meta.dir, "data", file)), filter);
      expect(s.failures).toEqual([]);
      expect(rate(s.recall)).toBeGreaterThanOrEqual(recall);
      expect(rate(s.keep)).toBeGreaterThanOrEqual(keep);
      expect(Math.min(...[...s.byType.values()].map(rate))).toBeGreaterThanOrEqual(0.9);
    });
  }
});

// The shared development set sits beside the repository (../shared), as on developers' machines and CI.
const devSet = join(import.meta.dir, "..", "..", "..", "..", "shared", "data", "phi-dev.jsonl");

describe.skipIf(!existsSync(devSet))("the shared development set", () => {
  test("meets the issue's targets with head-room: recall ≥ 0.98, keep-rate ≥ 0.97, no type below 0.90", () => {
    const s = score(loadLabelled(devSet), filter);
    expect(s.failures).toEqual([]);
    expect(rate(s.recall)).toBeGreaterThanOrEqual(0.98);
    expect(rate(s.keep)).toBeGreaterThanOrEqual(0.97);
    expect(Math.min(...[...s.byType.values()].map(rate))).toBeGreaterThanOrEqual(0.9);
  });
});
