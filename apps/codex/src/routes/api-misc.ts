import { z } from "zod";
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { searchIds, type SearchEntity } from "../search/data.ts";
import type { RouteTable } from "./registry.ts";
import { scopeCompanyId } from "./scope.ts";
import { accountsOf } from "./api-assets.ts";

export const searchQuery = z
  .object({
    q: z.string().trim().min(1, "Type something to search for.").max(200),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    types: z
      .string()
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(z.enum(["companies", "contacts", "assets", "tickets"])))
      .optional(),
  })
  .strict();

/** Global search: the newest matches of each kind, confined to the client's company. */
export async function globalSearch(deps: Deps, q: z.infer<typeof searchQuery>, scope: number | null) {
  const h = deps.db;
  const want = (e: SearchEntity) => !q.types || q.types.includes(e);
  const ids = async (e: SearchEntity) => (want(e) ? searchIds(h, e, q.q, q.limit, scope) : []);
  const [companyIds, contactIds, assetIds, ticketIds] = [
    await ids("companies"),
    await ids("contacts"),
    await ids("assets"),
    await ids("tickets"),
  ];
  const byId = <T extends { id: number }>(rows: T[], order: number[]) =>
    order.map((id) => rows.find((r) => r.id === id)).filter((r): r is T => Boolean(r));
  const companies = companyIds.length
    ? await h.db.select().from(h.t.companies).where(inArray(h.t.companies.id, companyIds))
    : [];
  const contacts = contactIds.length
    ? await h.db.select().from(h.t.contacts).where(inArray(h.t.contacts.id, contactIds))
    : [];
  const assets = assetIds.length ? await h.db.select().from(h.t.assets).where(inArray(h.t.assets.id, assetIds)) : [];
  const tickets = ticketIds.length
    ? await h.db.select().from(h.t.tickets).where(inArray(h.t.tickets.id, ticketIds))
    : [];
  const accounts = await accountsOf(deps, [...assets.map((a) => a.companyId), ...tickets.map((t) => t.companyId)]);
  return {
    query: q.q,
    companies: byId(companies, companyIds).map((c) => ({
      account_number: c.accountNumber,
      name: c.name,
      domain: c.domain,
    })),
    contacts: byId(contacts, contactIds).map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      job_title: c.jobTitle,
    })),
    assets: byId(assets, assetIds).map((a) => ({
      id: a.id,
      hostname: a.hostname,
      asset_type: a.assetType,
      company: accounts.get(a.companyId) ?? null,
    })),
    tickets: byId(tickets, ticketIds).map((t) => ({
      id: t.id,
      subject: t.subject,
      status: t.status,
      company: accounts.get(t.companyId) ?? null,
      updated_at: t.updatedAt.toISOString(),
    })),
  };
}

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
      path: "/api/search",
      access: "read",
      client: true,
      tag: "Search",
      summary: "Search companies, contacts, assets and tickets",
      query: searchQuery,
    },
    async (c) => c.json(await globalSearch(deps, queryParams(c, searchQuery), await scopeCompanyId(c, deps))),
  );
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
