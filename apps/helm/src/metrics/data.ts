import { desc, eq, lt } from "drizzle-orm";
import type { HelmDb } from "../deps.ts";
import type { MetricPoint } from "./json.ts";

/** Keeps the services page's chart points in Helm's database, so a restart does not blank them. */
export function metricPointsStore(db: HelmDb) {
  const points = db.t.metricPoints;
  return {
    async save(service: string, point: MetricPoint): Promise<void> {
      await db.db.insert(points).values({
        service,
        at: new Date(point.at),
        rate: point.rate,
        p95Ms: point.p95Ms,
        errorPct: point.errorPct,
        p50Ms: point.p50Ms,
        cpuPct: point.cpuPct,
        rssBytes: point.rssBytes,
      });
    },

    /** Each service's newest `perService` points, oldest first. */
    async recent(services: string[], perService: number): Promise<Map<string, MetricPoint[]>> {
      const out = new Map<string, MetricPoint[]>();
      for (const service of services) {
        const rows = await db.db
          .select()
          .from(points)
          .where(eq(points.service, service))
          .orderBy(desc(points.at), desc(points.id))
          .limit(perService);
        out.set(
          service,
          rows.reverse().map((r) => ({
            at: r.at.toISOString(),
            rate: r.rate,
            p95Ms: r.p95Ms,
            errorPct: r.errorPct,
            p50Ms: r.p50Ms,
            cpuPct: r.cpuPct,
            rssBytes: r.rssBytes,
          })),
        );
      }
      return out;
    },

    /** Deletes points older than `before` (the charts never reach that far back). */
    async trim(before: Date): Promise<number> {
      const gone = await db.db.delete(points).where(lt(points.at, before)).returning({ id: points.id });
      return gone.length;
    },
  };
}
