import { extent, formatNumber, round } from "./chart-scale.ts";

const SPARK_W = 100;
const SPARK_H = 24;
const SPARK_PAD = 2;

/**
 * A word-sized trend line for a table cell or stat (requests per minute, CPU). It stretches
 * to its CSS box; global.css keeps the stroke width constant while it does.
 */
export function Sparkline({ values, label, unit }: { values: number[]; label: string; unit?: string }) {
  const v = values.filter((n) => Number.isFinite(n));
  if (v.length === 0) return <span class="chart chart--sparkline chart--empty">{label}: no data</span>;
  const [lo, hi] = extent(v);
  const yOf = (n: number) =>
    hi === lo ? SPARK_H / 2 : round(SPARK_PAD + ((hi - n) / (hi - lo)) * (SPARK_H - 2 * SPARK_PAD));
  const xOf = (i: number) => round(SPARK_PAD + (i * (SPARK_W - 2 * SPARK_PAD)) / (v.length - 1));
  const d =
    v.length === 1
      ? `M${SPARK_PAD},${yOf(v[0]!)}L${SPARK_W - SPARK_PAD},${yOf(v[0]!)}`
      : v.map((n, i) => `${i === 0 ? "M" : "L"}${xOf(i)},${yOf(n)}`).join("");
  const summary = `${label}: latest ${formatNumber(v[v.length - 1]!, unit)}, low ${formatNumber(lo, unit)}, high ${formatNumber(hi, unit)}`;
  return (
    <svg
      class="chart chart--sparkline"
      viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={summary}
    >
      <title>{summary}</title>
      <path class="chart__line" d={d} />
    </svg>
  );
}
