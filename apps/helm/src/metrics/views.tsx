import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, LineChart, PageHeader, Table } from "@hivematrix/lib/ui";
import { formatBytes, formatDuration } from "../services/format.ts";
import type { MetricPoint, MetricsOverview } from "./json.ts";
import { chartSeries } from "./summary.ts";

const MIB = 1024 * 1024;

/** The charts, one figure each, a line per app. */
const CHARTS: { title: string; unit: string; value: (point: MetricPoint) => number | null }[] = [
  { title: "Requests per second", unit: "requests/s", value: (p) => p.rate },
  { title: "Median latency (p50)", unit: "ms", value: (p) => p.p50Ms },
  { title: "95th percentile latency (p95)", unit: "ms", value: (p) => p.p95Ms },
  { title: "Requests failing with a 5xx", unit: "%", value: (p) => p.errorPct },
  { title: "CPU use (100 % is one core)", unit: "%", value: (p) => p.cpuPct },
  { title: "Resident memory", unit: "MiB", value: (p) => (p.rssBytes === null ? null : p.rssBytes / MIB) },
];

const figure = (value: number | null, unit: string) =>
  value === null ? "—" : `${value.toLocaleString("en", { maximumFractionDigits: 2 })} ${unit}`;

export function MetricsPage({ overview }: { overview: MetricsOverview }) {
  const page = usePage();
  const span = formatDuration(Math.round(overview.span_seconds));
  return (
    <>
      <PageHeader
        title="Metrics"
        description={
          `Every app's traffic, latency, errors, CPU and memory over the last ${span}, from Helm's scrape of its` +
          ` /metrics every ${overview.interval_seconds} s. Times are UTC; reload for fresh figures.`
        }
        actions={<Button href={page.url("/performance")} label="Refresh" variant="secondary" />}
      />
      <Card title={`Over the last ${span}`}>
        <Table
          columns={[
            { label: "App" },
            { label: "Requests/s (mean)", numeric: true },
            { label: "p50 (mean)", numeric: true },
            { label: "p95 (mean)", numeric: true },
            { label: "5xx (mean)", numeric: true },
            { label: "CPU (mean)", numeric: true },
            { label: "Memory (now / peak)", numeric: true },
          ]}
        >
          {overview.services.map(({ service, summary }) => (
            <tr>
              <Cell>{service}</Cell>
              <Cell numeric>{figure(summary.rate, "/s")}</Cell>
              <Cell numeric>{figure(summary.p50_ms, "ms")}</Cell>
              <Cell numeric>{figure(summary.p95_ms, "ms")}</Cell>
              <Cell numeric>{figure(summary.error_pct, "%")}</Cell>
              <Cell numeric>{figure(summary.cpu_pct, "%")}</Cell>
              <Cell numeric>
                {formatBytes(summary.rss_bytes)} / {formatBytes(summary.peak_rss_bytes)}
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
      <div class="grid">
        {CHARTS.map((chart) => (
          <Card>
            <LineChart
              title={chart.title}
              unit={chart.unit}
              series={chartSeries(overview.services, overview.interval_seconds * 1000, chart.value)}
              emptyMessage="Two scrapes make the first point: wait for the next scrape and reload."
            />
          </Card>
        ))}
      </div>
    </>
  );
}
