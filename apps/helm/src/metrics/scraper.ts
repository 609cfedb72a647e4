import type { Leadership } from "@hivematrix/lib/leadership";
import type { Logger } from "@hivematrix/lib/log";
import type { MetricPoint } from "./json.ts";
import { histogramQuantile, parsePrometheus, totalsOf, type Totals } from "./prom-parse.ts";

interface Scrape {
  at: number;
  totals: Totals;
}

/** Counters restart at zero when the app does; then the new value is the whole increase. */
function increase(now: number, before: number): number {
  return now >= before ? now - before : now;
}

export function pointBetween(earlier: Scrape, later: Scrape): MetricPoint {
  const seconds = Math.max(0.001, (later.at - earlier.at) / 1000);
  const reset = later.totals.requests < earlier.totals.requests;
  const requests = increase(later.totals.requests, earlier.totals.requests);
  const errors = reset ? later.totals.errors : increase(later.totals.errors, earlier.totals.errors);
  const delta = new Map<number, number>();
  for (const [le, count] of later.totals.buckets)
    delta.set(le, reset ? count : increase(count, earlier.totals.buckets.get(le) ?? 0));
  const inMs = (quantile: number | null) => (quantile === null ? null : Math.round(quantile * 1000 * 10) / 10);
  // CPU time since a restart cannot be set against the time between scrapes: no figure then.
  const cpu =
    later.totals.cpuSeconds !== null &&
    earlier.totals.cpuSeconds !== null &&
    later.totals.cpuSeconds >= earlier.totals.cpuSeconds
      ? later.totals.cpuSeconds - earlier.totals.cpuSeconds
      : null;
  return {
    at: new Date(later.at).toISOString(),
    rate: Math.round((requests / seconds) * 1000) / 1000,
    p95Ms: inMs(histogramQuantile(0.95, delta)),
    errorPct: requests > 0 ? Math.round((errors / requests) * 1000) / 10 : 0,
    p50Ms: inMs(histogramQuantile(0.5, delta)),
    cpuPct: cpu === null || reset ? null : Math.round((cpu / seconds) * 1000) / 10,
    rssBytes: later.totals.rssBytes,
  };
}

/** Where points outlive Helm (its database); without one they live in memory only. */
export interface PointStore {
  save(service: string, point: MetricPoint): Promise<void>;
  recent(services: string[], perService: number): Promise<Map<string, MetricPoint[]>>;
}

export interface ScraperOptions {
  /** Service names to scrape. */
  services: string[];
  /** Fetches one service's /metrics text (callService, or Helm's own registry in-process). */
  fetchMetrics(service: string): Promise<string>;
  intervalMs: number;
  history: number;
  logger: Logger;
  store?: PointStore;
  /**
   * Which of several instances scrapes (the others would save each point again): taken when the
   * scraper starts. An instance that does not lead shows the points the leader saved.
   */
  leadership?: () => Leadership;
}

/**
 * Scrapes every app's /metrics on a timer and turns each two consecutive scrapes of a service
 * into a chart point; the last `history` points are kept in memory for the services page and
 * saved to `store`, from which they are read back when Helm starts (and every interval by an
 * instance that does not lead).
 */
export function createScraper(options: ScraperOptions) {
  const last = new Map<string, Scrape>();
  const points = new Map<string, MetricPoint[]>();
  const failing = new Set<string>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let lead: Leadership | null = null;

  const keep = (service: string, point: MetricPoint) => {
    const list = points.get(service) ?? [];
    list.push(point);
    if (list.length > options.history) list.splice(0, list.length - options.history);
    points.set(service, list);
  };

  const scrapeOne = async (service: string) => {
    try {
      const scrape = { at: Date.now(), totals: totalsOf(parsePrometheus(await options.fetchMetrics(service))) };
      const before = last.get(service);
      last.set(service, scrape);
      if (before) {
        const point = pointBetween(before, scrape);
        keep(service, point);
        await options.store?.save(service, point).catch((e: unknown) =>
          options.logger.warn(`cannot save a metrics point of ${service}: ${(e as Error).message}`, {
            target: service,
          }),
        );
      }
      if (failing.delete(service))
        options.logger.info(`metrics of ${service} can be scraped again`, { target: service });
    } catch (e) {
      // A stopped app would fail every scrape: say so once, not every interval.
      if (!failing.has(service))
        options.logger.warn(`cannot scrape the metrics of ${service}: ${(e as Error).message}`, { target: service });
      failing.add(service);
    }
  };

  const scrapeAll = () => Promise.all(options.services.map(scrapeOne)).then(() => undefined);

  /** The saved points, after this instance's own (`merge`) or instead of them (another instance scrapes). */
  const readBack = async (merge: boolean) => {
    try {
      const saved =
        (await options.store?.recent(options.services, options.history)) ?? new Map<string, MetricPoint[]>();
      for (const [service, list] of saved)
        points.set(service, merge ? [...list, ...(points.get(service) ?? [])].slice(-options.history) : list);
    } catch (e) {
      options.logger.warn(`cannot read saved metrics points: ${(e as Error).message}`);
    }
  };

  const tick = async () => {
    if (!lead || (await lead.leads())) return scrapeAll();
    // A scrape taken before another instance led is no base for the next point if this one leads again.
    last.clear();
    await readBack(false);
  };

  return {
    scrapeAll,
    /** Reads the saved points back (Helm starting), then scrapes (or reads back) every interval. */
    async start() {
      await readBack(true);
      lead = options.leadership?.() ?? null;
      void tick();
      timer = setInterval(() => void tick(), options.intervalMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      await lead?.stop();
    },
    /** The points of one service, oldest first. */
    series(service: string): MetricPoint[] {
      return points.get(service) ?? [];
    },
  };
}

export type Scraper = ReturnType<typeof createScraper>;
