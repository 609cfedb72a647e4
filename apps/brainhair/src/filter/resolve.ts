/**
 * Overlapping findings are settled by score, then by length: the strongest reading of each part
 * of the text wins. A keep span that wins a part protects it from every weaker candidate.
 */
import type { Candidate, KeepSpan } from "./candidates.ts";
import { Taken } from "./spans.ts";

interface Item {
  start: number;
  end: number;
  score: number;
  candidate?: Candidate;
}

export function resolve(length: number, candidates: Candidate[], keeps: KeepSpan[]): Candidate[] {
  const items: Item[] = [...candidates.map((c) => ({ ...c, candidate: c })), ...keeps];
  // On a tie a candidate goes first: when in doubt, protect.
  items.sort(
    (a, b) =>
      b.score - a.score ||
      b.end - b.start - (a.end - a.start) ||
      Number(b.candidate !== undefined) - Number(a.candidate !== undefined) ||
      a.start - b.start,
  );
  const taken = new Taken(length);
  const won: Candidate[] = [];
  for (const item of items) {
    if (item.end <= item.start || !taken.free(item.start, item.end)) continue;
    taken.take(item.start, item.end);
    if (item.candidate) won.push(item.candidate);
  }
  return won.sort((a, b) => a.start - b.start);
}
