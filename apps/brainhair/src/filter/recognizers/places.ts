/** The gazetteer of US places (data/us-cities.ts), looked up by first word, in any letter case. */
import { US_CITIES } from "../data/us-cities.ts";

/** Known US places by their first word, lower-cased, longest first; built on first use. */
let places: Map<string, string[]> | null = null;
export function placesByFirstWord(): Map<string, string[]> {
  if (places) return places;
  places = new Map();
  for (const name of US_CITIES.split("|")) {
    const lower = name.toLowerCase();
    const first = lower.split(" ")[0]!;
    const list = places.get(first) ?? [];
    list.push(lower);
    places.set(first, list);
  }
  for (const list of places.values()) list.sort((a, b) => b.length - a.length);
  return places;
}

/** The longest known place that `run` (words separated by single spaces) starts with, or null. */
export function placeAtStart(run: string): string | null {
  const lower = run.toLowerCase().replace(/[.,]+$/, "");
  const candidates = placesByFirstWord().get(lower.split(" ")[0]!.replace(/[.,]+$/, ""));
  return candidates?.find((c) => lower === c || lower.startsWith(`${c} `)) ?? null;
}

/**
 * The longest known place written at `start`, whatever the case of its inner words ("Coeur d'Alene",
 * "Winston-Salem"), ending at a word's end; or null.
 */
export function placeAt(text: string, start: number): string | null {
  const head = text.slice(start, start + 40).toLowerCase();
  const first = /^[^\s,.;:!?]+/.exec(head)?.[0];
  const candidates = first === undefined ? undefined : placesByFirstWord().get(first);
  return candidates?.find((c) => head.startsWith(c) && !/[\p{L}\p{N}]/u.test(head[c.length] ?? "")) ?? null;
}

/** Whether `name` is a known place, whole. */
export function isKnownPlace(name: string): boolean {
  const lower = name.toLowerCase();
  return placesByFirstWord().get(lower.split(" ")[0]!)?.includes(lower) ?? false;
}
