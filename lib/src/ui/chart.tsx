import type { Child } from "hono/jsx";
import { extent, formatNumber, niceScale, round } from "./chart-scale.ts";
import {
  ChartFigure,
  EmptyChart,
  MAX_POINT_MARKERS,
  NARROW_VALUE_CHAR_W,
  PAD,
  PLOT_W,
  VALUE_CHAR_W,
  XLabels,
  YAxis,
  seriesClass,
  yMapper,
} from "./chart-frame.tsx";

/**
 * Server-rendered SVG charts. No scripts and no inline styles: every colour and stroke comes
 * from global.css classes, the viewBox makes them scale with their container, and each chart
 * carries a visually hidden data table so screen-reader users get the numbers.
 */

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
