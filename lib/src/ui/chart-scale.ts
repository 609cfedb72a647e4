/** Axis arithmetic and number formatting for the SVG charts in chart.tsx. */

export interface Scale {
  min: number;
  max: number;
  ticks: number[];
}

/**
 * A y scale from `lo` to `hi` widened to round tick steps (1, 2, 2.5 or 5 × 10ⁿ), always
 * including zero so bar lengths stay honest.
 */
export function niceScale(lo: number, hi: number, targetTicks = 5): Scale {
  let min = Math.min(0, lo);
  let max = Math.max(0, hi);
  if (min === max) max = min + 1;
  const raw = (max - min) / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => raw <= m * magnitude) ?? 10) * magnitude;
  min = Math.floor(min / step) * step;
  max = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Rounding keeps 0.1 + 0.2 style drift out of the tick labels.
  for (let v = min; v <= max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { min, max, ticks };
}

const plain = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export function formatNumber(value: number, unit?: string): string {
  const n = plain.format(value);
  return unit ? `${n} ${unit}` : n;
}

/** Tick labels stay short: 12.5K instead of 12,500. */
export function formatTick(value: number): string {
  return Math.abs(value) >= 10_000 ? compact.format(value) : plain.format(value);
}

/** Shortens a label to `max` characters with an ellipsis; the full text stays in <title>. */
export function truncate(label: string, max: number): string {
  const chars = [...label];
  if (chars.length <= max) return label;
  return `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/**
 * Which category labels to draw along an axis and how long they may be: every `step`-th
 * label, cut to `chars` characters. Thinning is preferred to cutting, so short labels such as
 * dates stay whole; labels longer than `maxChars` are cut. Drawn labels never overlap.
 */
export function labelLayout(
  labels: string[],
  width: number,
  charWidth: number,
  maxChars = 14,
): { step: number; chars: number } {
  const band = width / Math.max(1, labels.length);
  const longest = labels.reduce((n, l) => Math.max(n, [...l].length), 1);
  const need = Math.min(longest, maxChars);
  // One spare character keeps neighbouring labels from touching.
  const step = Math.max(1, Math.ceil(((need + 1) * charWidth) / band));
  return { step, chars: Math.max(need, Math.floor((band * step) / charWidth) - 1) };
}

/** Rounds a coordinate to hundredths of a viewBox unit: enough precision, shorter SVG. */
export const round = (n: number) => Math.round(n * 100) / 100;

export function extent(values: number[]): [number, number] {
  return values.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
}
