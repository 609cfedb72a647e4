import type { Child } from "hono/jsx";
import { EmptyState } from "./empty-state.tsx";
import { formatNumber, formatTick, labelLayout, niceScale, truncate, type Scale } from "./chart-scale.ts";

/**
 * Server-rendered SVG charts. No scripts and no inline styles: every colour and stroke comes
 * from global.css classes, the viewBox makes them scale with their container, and each chart
 * carries a visually hidden data table so screen-reader users get the numbers.
 */

const WIDTH = 640;
const HEIGHT = 300;
const PAD = { top: 32, right: 16, bottom: 40, left: 76 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/**
 * Approximate advance of one label character in viewBox units, for fitting labels without
 * measuring. global.css enlarges chart text in narrow containers (where the SVG is scaled
 * down); NARROW_* is the advance there, and labels that would then collide get `--minor`,
 * which those containers hide.
 */
const CHAR_W = 7;
const VALUE_CHAR_W = 6.5;
const NARROW_CHAR_W = 13;
const NARROW_VALUE_CHAR_W = 12;
/** Series colours repeat after this many (global.css defines chart__series--1..6). */
const SERIES_COLOURS = 6;
/** Beyond this many x positions the point markers would merge into the line. */
const MAX_POINT_MARKERS = 40;

const round = (n: number) => Math.round(n * 100) / 100;

function yMapper(scale: Scale) {
  return (v: number) => round(PAD.top + PLOT_H - ((v - scale.min) / (scale.max - scale.min)) * PLOT_H);
}

function extent(values: number[]): [number, number] {
  return values.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
}

function seriesClass(index: number): string {
  return `chart__series chart__series--${(index % SERIES_COLOURS) + 1}`;
}

function ChartFigure({
  title,
  children,
  legend,
  table,
}: {
  title: string;
  children: Child;
  legend?: Child;
  table: Child;
}) {
  return (
    <figure class="chart">
      <figcaption class="chart__title">{title}</figcaption>
      <div class="chart__frame">
        <svg class="chart__svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title}>
          <title>{title}</title>
          {children}
        </svg>
      </div>
      {legend}
      {table}
    </figure>
  );
}

function EmptyChart({ title, message }: { title: string; message?: Child }) {
  return (
    <figure class="chart chart--empty">
      <figcaption class="chart__title">{title}</figcaption>
      <EmptyState title="No data to chart" message={message ?? "Nothing has been recorded for this period yet."} />
    </figure>
  );
}

/** Horizontal grid lines with tick labels, the y axis, and the unit above it. */
function YAxis({ scale, unit }: { scale: Scale; unit?: string }) {
  const y = yMapper(scale);
  return (
    <g>
      {scale.ticks.map((t) => (
        <>
          <line class="chart__grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
          <text class="chart__label chart__label--y" x={PAD.left - 8} y={y(t) + 4}>
            {formatTick(t)}
          </text>
        </>
      ))}
      <line class="chart__axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + PLOT_H} />
      <line class="chart__axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} />
      {unit && (
        <text class="chart__label chart__label--unit" x="0" y={PAD.top - 12}>
          {unit}
        </text>
      )}
    </g>
  );
}

/** Category labels under the plot, thinned and shortened so they never overlap. */
function XLabels({ labels, xOf }: { labels: string[]; xOf: (i: number) => number }) {
  const layout = labelLayout(labels, PLOT_W, CHAR_W);
  const shown = labels.map((l) => truncate(l, layout.chars));
  const longest = shown.reduce((n, l, i) => (i % layout.step === 0 ? Math.max(n, [...l].length) : n), 1);
  const span = (PLOT_W / Math.max(1, labels.length)) * layout.step;
  const narrowStep = layout.step * Math.max(1, Math.ceil(((longest + 1) * NARROW_CHAR_W) / span));
  return (
    <g>
      {labels.map((_, i) =>
        i % layout.step === 0 ? (
          <text
            class={
              i % narrowStep === 0 ? "chart__label chart__label--x" : "chart__label chart__label--x chart__label--minor"
            }
            x={round(xOf(i))}
            y={PAD.top + PLOT_H + 20}
          >
            {shown[i]}
          </text>
        ) : null,
      )}
    </g>
  );
}

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartProps {
  title: string;
  data: BarDatum[];
  /** Unit of the values ("tickets", "h", "%"), shown on the axis and in the data table. */
  unit?: string;
  /** Shown instead of the chart when there is nothing to plot. */
  emptyMessage?: Child;
}

/** Vertical bars, one per datum, from zero (negative values hang below the zero line). */
export function BarChart({ title, data, unit, emptyMessage }: BarChartProps) {
  const rows = data.filter((d) => Number.isFinite(d.value));
  if (rows.length === 0) return <EmptyChart title={title} message={emptyMessage} />;
  const scale = niceScale(...extent(rows.map((r) => r.value)));
  const y = yMapper(scale);
  const band = PLOT_W / rows.length;
  const barWidth = round(Math.min(band * 0.7, 72));
  const xOf = (i: number) => PAD.left + band * i + band / 2;
  const showValues = rows.every((r) => formatNumber(r.value).length * VALUE_CHAR_W <= band);
  const valuesFitNarrow = rows.every((r) => formatNumber(r.value).length * NARROW_VALUE_CHAR_W <= band);
  const table = (
    <table class="chart__table">
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">{unit ? `Value (${unit})` : "Value"}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            <td>{formatNumber(r.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} table={table}>
      <YAxis scale={scale} unit={unit} />
      <g>
        {rows.map((r, i) => {
          const top = y(Math.max(0, r.value));
          const height = round(Math.abs(y(r.value) - y(0)));
          return (
            <rect class="chart__bar" x={round(xOf(i) - barWidth / 2)} y={top} width={barWidth} height={height}>
              <title>{`${r.label}: ${formatNumber(r.value, unit)}`}</title>
            </rect>
          );
        })}
      </g>
      {showValues && (
        // biome-ignore lint/a11y/noAriaHiddenOnFocusable: text labels are not focusable; the table says the same
        <g aria-hidden="true">
          {rows.map((r, i) => (
            <text
              class={valuesFitNarrow ? "chart__value" : "chart__value chart__value--minor"}
              x={round(xOf(i))}
              y={r.value < 0 ? y(r.value) + 14 : y(r.value) - 6}
            >
              {formatNumber(r.value)}
            </text>
          ))}
        </g>
      )}
      <XLabels labels={rows.map((r) => r.label)} xOf={xOf} />
    </ChartFigure>
  );
}

export interface LineSeries {
  name: string;
  points: { x: string; y: number }[];
}

export interface LineChartProps {
  title: string;
  /** One line per series over the union of their x values, in order of first appearance. */
  series: LineSeries[];
  unit?: string;
  emptyMessage?: Child;
}

/** One or more lines over shared categories (weeks, days); a missing point breaks the line. */
export function LineChart({ title, series, unit, emptyMessage }: LineChartProps) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))];
  const byX = series.map((s) => new Map(s.points.filter((p) => Number.isFinite(p.y)).map((p) => [p.x, p.y])));
  const values = byX.flatMap((m) => [...m.values()]);
  if (values.length === 0) return <EmptyChart title={title} message={emptyMessage} />;
  const scale = niceScale(...extent(values));
  const y = yMapper(scale);
  const inset = 12;
  const xOf = (i: number) =>
    xs.length === 1 ? PAD.left + PLOT_W / 2 : PAD.left + inset + (i * (PLOT_W - 2 * inset)) / (xs.length - 1);
  const markers = xs.length <= MAX_POINT_MARKERS;

  const pathOf = (points: Map<string, number>) => {
    let d = "";
    let penDown = false;
    xs.forEach((x, i) => {
      const v = points.get(x);
      if (v === undefined) {
        penDown = false;
        return;
      }
      d += `${penDown ? "L" : "M"}${round(xOf(i))},${y(v)}`;
      penDown = true;
    });
    return d;
  };

  const legend = (
    <ul class="chart__legend">
      {series.map((s, i) => (
        <li class="chart__legend-item">
          <svg class={`chart__swatch ${seriesClass(i)}`} viewBox="0 0 32 12" aria-hidden="true">
            <line class="chart__line" x1="2" y1="6" x2="30" y2="6" />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
  const table = (
    <table class="chart__table">
      <thead>
        <tr>
          <th scope="col">Point</th>
          {series.map((s) => (
            <th scope="col">{unit ? `${s.name} (${unit})` : s.name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {xs.map((x) => (
          <tr>
            <th scope="row">{x}</th>
            {byX.map((m) => {
              const v = m.get(x);
              return <td>{v === undefined ? "—" : formatNumber(v)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFigure title={title} legend={legend} table={table}>
      <YAxis scale={scale} unit={unit} />
      {series.map((s, i) => (
        <g class={seriesClass(i)}>
          <path class="chart__line" d={pathOf(byX[i]!)} />
          {markers &&
            xs.map((x, xi) => {
              const v = byX[i]!.get(x);
              return v === undefined ? null : (
                <circle class="chart__point" cx={round(xOf(xi))} cy={y(v)} r="3.5">
                  <title>{`${s.name}, ${x}: ${formatNumber(v, unit)}`}</title>
                </circle>
              );
            })}
        </g>
      ))}
      <XLabels labels={xs} xOf={xOf} />
    </ChartFigure>
  );
}

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
