/** A sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) break;
    const key = text
      .slice(i, eq)
      .replace(/^[\s,]+/, "")
      .trim();
    let j = eq + 1;
    if (text[j] !== '"') break;
    let value = "";
    for (j++; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === "\\") {
        j++;
        value += text[j] === "n" ? "\n" : text[j];
      } else value += text[j];
    }
    labels[key] = value;
    i = j + 1;
  }
  return labels;
}

/** Parses `name{labels} value` lines; comments, blank lines and malformed lines are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const brace = line.indexOf("{");
    const space = line.indexOf(" ");
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    if (brace >= 0 && (space < 0 || brace < space)) {
      const close = line.lastIndexOf("}");
      if (close < brace) continue;
      name = line.slice(0, brace);
      labels = parseLabels(line.slice(brace + 1, close));
      rest = line.slice(close + 1).trim();
    } else {
      if (space < 0) continue;
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const valueText = rest.split(/\s+/)[0] ?? "";
    const value = valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : Number(valueText);
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name) || Number.isNaN(value)) continue;
    out.push({ name, labels, value });
  }
  return out;
}

/**
 * The totals Helm charts from one scrape of lib/metrics' series, leaving out /metrics and
 * /health themselves (scrapes and probes would otherwise be most of a quiet app's traffic).
 */
export interface Totals {
  requests: number;
  errors: number;
  /** Cumulative latency histogram summed over routes: upper bound (s) → count. */
  buckets: Map<number, number>;
  /** The process's CPU time so far (prom-client's process metrics); null when not reported. */
  cpuSeconds: number | null;
  rssBytes: number | null;
}

const IGNORED_ROUTES = new Set(["/metrics", "/health"]);

export function totalsOf(samples: Sample[]): Totals {
  const totals: Totals = { requests: 0, errors: 0, buckets: new Map(), cpuSeconds: null, rssBytes: null };
  for (const s of samples) {
    if (s.name === "process_cpu_seconds_total") totals.cpuSeconds = s.value;
    else if (s.name === "process_resident_memory_bytes") totals.rssBytes = s.value;
    if (IGNORED_ROUTES.has(s.labels.route ?? "")) continue;
    if (s.name === "http_requests_total") totals.requests += s.value;
    else if (s.name === "http_request_errors_total") totals.errors += s.value;
    else if (s.name === "http_request_duration_seconds_bucket") {
      const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
      if (!Number.isNaN(le)) totals.buckets.set(le, (totals.buckets.get(le) ?? 0) + s.value);
    }
  }
  return totals;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside its bucket like
 * Prometheus's histogram_quantile; null without observations. Answers in the buckets' unit.
 */
export function histogramQuantile(q: number, buckets: Map<number, number>): number | null {
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, cum] of sorted) {
    if (cum >= rank) {
      if (le === Infinity) return prevLe;
      if (cum === prevCount) return le;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / (cum - prevCount);
    }
    prevLe = le;
    prevCount = cum;
  }
  return prevLe;
}
