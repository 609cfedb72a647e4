import { desc, eq, lt } from "drizzle-orm";
import type { HelmDb } from "../db/open.ts";
import type { MetricPoint } from "./scraper.ts";

/** Keeps the services page's chart points in Helm's database, so a restart does not blank them. */
export function metricPointsStore(h: HelmDb) {
  const t = h.t.metricPoints;
  return {
    async save(service: string, p: MetricPoint): Promise<void> {
      await h.db.insert(t).values({ service, at: new Date(p.at), rate: p.rate, p95Ms: p.p95Ms, errorPct: p.errorPct });
    },

    /** Each service's newest `perService` points, oldest first. */
    async recent(services: string[], perService: number): Promise<Map<string, MetricPoint[]>> {
      const out = new Map<string, MetricPoint[]>();
      for (const service of services) {
        const rows = await h.db
          .select()
          .from(t)
          .where(eq(t.service, service))
          .orderBy(desc(t.at), desc(t.id))
          .limit(perService);
        out.set(
          service,
          rows.reverse().map((r) => ({ at: r.at.toISOString(), rate: r.rate, p95Ms: r.p95Ms, errorPct: r.errorPct })),
        );
      }
      return out;
    },

    /** Deletes points older than `before` (the charts never reach that far back). */
    async trim(before: Date): Promise<number> {
      const gone = await h.db.delete(t).where(lt(t.at, before)).returning({ id: t.id });
      return gone.length;
    },
  };
}
