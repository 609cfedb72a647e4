import { z } from "zod";
import { and, desc, eq, lt } from "drizzle-orm";
import { queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import type { RouteTable } from "./registry.ts";

const auditQuery = z
  .object({
    entity: z.string().max(50).optional(),
    entity_id: z.string().max(100).optional(),
    actor: z.string().max(200).optional(),
    before_id: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export function miscApi(r: RouteTable, deps: Deps) {
  const h = deps.db;
  r.add(
    {
      method: "get",
      path: "/api/audit",
      access: "admin",
      tag: "Audit",
      summary: "The audit log, newest first",
      query: auditQuery,
    },
    async (c) => {
      const q = queryParams(c, auditQuery);
      const t = h.t.auditLog;
      const rows = await h.db
        .select()
        .from(t)
        .where(
          and(
            q.entity ? eq(t.entity, q.entity) : undefined,
            q.entity_id ? eq(t.entityId, q.entity_id) : undefined,
            q.actor ? eq(t.actor, q.actor) : undefined,
            q.before_id ? lt(t.id, q.before_id) : undefined,
          ),
        )
        .orderBy(desc(t.id))
        .limit(q.limit);
      return c.json({
        items: rows.map((a) => ({
          id: a.id,
          at: a.at.toISOString(),
          actor: a.actor,
          action: a.action,
          entity: a.entity,
          entity_id: a.entityId,
          company_id: a.companyId,
          before: a.before,
          after: a.after,
          request_id: a.requestId,
        })),
        next_before_id: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
      });
    },
  );
}
