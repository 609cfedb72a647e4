/** The labelled-data format of ../shared/data/README.md: one JSON object per line. */
import { readFileSync } from "node:fs";
import { isLevel, type Level } from "../levels.ts";

export interface LabelledItem {
  id: string;
  level: Level;
  text: string;
  sensitive: { type: string; value: string }[];
  keep: string[];
}

export function parseLabelled(jsonl: string, source = "labelled set"): LabelledItem[] {
  const items: LabelledItem[] = [];
  for (const [i, line] of jsonl.split("\n").entries()) {
    if (line.trim() === "") continue;
    const item = JSON.parse(line) as LabelledItem;
    if (typeof item.id !== "string" || !isLevel(item.level) || typeof item.text !== "string") {
      throw new Error(`${source}:${i + 1}: needs id, level (standard|hipaa|cjis) and text`);
    }
    for (const s of item.sensitive) {
      if (!item.text.includes(s.value)) throw new Error(`${source}:${i + 1}: "${s.value}" is not in the text`);
    }
    for (const k of item.keep) {
      if (!item.text.includes(k)) throw new Error(`${source}:${i + 1}: keep "${k}" is not in the text`);
    }
    items.push(item);
  }
  return items;
}

export function loadLabelled(path: string): LabelledItem[] {
  return parseLabelled(readFileSync(path, "utf8"), path);
}
