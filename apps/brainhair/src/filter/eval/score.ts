/**
 * Recall and keep-rate of a filter over labelled items, by the data README's scoring rule:
 * a sensitive value is protected when it no longer occurs in the output; a keep string is kept
 * when it still does (see occurs.ts for what "occurs" means).
 */
import type { Level } from "../levels.ts";
import type { LabelledItem } from "./labelled.ts";
import { occurs } from "./occurs.ts";

export interface Tally {
  hit: number;
  total: number;
}

export interface Miss {
  id: string;
  type: string;
  value: string;
}

export interface Score {
  recall: Tally;
  keep: Tally;
  byType: Map<string, Tally>;
  byLevel: Map<Level, { recall: Tally; keep: Tally }>;
  misses: Miss[];
  lost: { id: string; value: string }[];
  failures: { id: string; error: string }[];
}

export const rate = (t: Tally): number => (t.total === 0 ? 1 : t.hit / t.total);

function count(tallies: Tally[], hit: boolean): void {
  for (const t of tallies) {
    t.total++;
    if (hit) t.hit++;
  }
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = { hit: 0, total: 0 }));
  return t;
}

export function score(items: LabelledItem[], filter: (text: string, level: Level) => string): Score {
  const s: Score = {
    recall: { hit: 0, total: 0 },
    keep: { hit: 0, total: 0 },
    byType: new Map(),
    byLevel: new Map(),
    misses: [],
    lost: [],
    failures: [],
  };
  for (const item of items) {
    let level = s.byLevel.get(item.level);
    if (!level) s.byLevel.set(item.level, (level = { recall: { hit: 0, total: 0 }, keep: { hit: 0, total: 0 } }));
    let out = "";
    let failed = false;
    try {
      out = filter(item.text, item.level);
    } catch (e) {
      // A failed call protects nothing and keeps nothing.
      s.failures.push({ id: item.id, error: String(e) });
      failed = true;
    }
    for (const { type, value } of item.sensitive) {
      const safe = !failed && !occurs(out, value);
      count([s.recall, level.recall, tallyOf(s.byType, type)], safe);
      if (!safe) s.misses.push({ id: item.id, type, value });
    }
    for (const value of item.keep) {
      const kept = occurs(out, value);
      count([s.keep, level.keep], kept);
      if (!kept) s.lost.push({ id: item.id, value });
    }
  }
  return s;
}
