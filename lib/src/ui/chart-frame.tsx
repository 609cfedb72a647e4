import type { Child } from "hono/jsx";
import { EmptyState } from "./empty-state.tsx";
import { formatTick, labelLayout, round, truncate, type Scale } from "./chart-scale.ts";

/** The frame every chart shares: its geometry, caption and data table, axes and labels. */

const WIDTH = 640;
const HEIGHT = 300;
export const PAD = { top: 32, right: 16, bottom: 40, left: 76 };
export const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/**
 * Approximate advance of one label character in viewBox units, for fitting labels without
 * measuring. global.css enlarges chart text in narrow containers (where the SVG is scaled
 * down); NARROW_* is the advance there, and labels that would then collide get `--minor`,
 * which those containers hide.
 */
const CHAR_W = 7;
export const VALUE_CHAR_W = 6.5;
const NARROW_CHAR_W = 13;
export const NARROW_VALUE_CHAR_W = 12;
/** Series colours repeat after this many (global.css defines chart__series--1..6). */
const SERIES_COLOURS = 6;
/** Beyond this many x positions the point markers would merge into the line. */
export const MAX_POINT_MARKERS = 40;

export function yMapper(scale: Scale) {
  return (v: number) => round(PAD.top + PLOT_H - ((v - scale.min) / (scale.max - scale.min)) * PLOT_H);
}

export function seriesClass(index: number): string {
  return `chart__series chart__series--${(index % SERIES_COLOURS) + 1}`;
}

export function ChartFigure({
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

export function EmptyChart({ title, message }: { title: string; message?: Child }) {
  return (
    <figure class="chart chart--empty">
      <figcaption class="chart__title">{title}</figcaption>
      <EmptyState title="No data to chart" message={message ?? "Nothing has been recorded for this period yet."} />
    </figure>
  );
}

/** Horizontal grid lines with tick labels, the y axis, and the unit above it. */
export function YAxis({ scale, unit }: { scale: Scale; unit?: string }) {
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
export function XLabels({ labels, xOf }: { labels: string[]; xOf: (i: number) => number }) {
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
