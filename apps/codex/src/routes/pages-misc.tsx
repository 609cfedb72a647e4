import { and, count, desc, eq, gte, inArray, isNull, lt, notInArray } from "drizzle-orm";
import { appUrl } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import { CLOSED_STATUSES } from "../db/schema.ts";
import { agentJson, preferencesSchema } from "../data/agents.ts";
import { listJobs } from "../integrations/sync/jobs.ts";
import { agentOfUser, DEFAULT_PREFERENCES, savePreferences } from "./api-agents.ts";
import { AdminPage, AgentsPage, DashboardPage, type DashboardData } from "../views/misc.tsx";
import { pageCtx } from "../views/shell.tsx";
import type { RouteTable } from "./registry.ts";
import { scopeCompanyId } from "../shared/client-scope.ts";
import { formFields } from "@hivematrix/lib/validate";
import { SettingsPage } from "../views/misc.tsx";

const WEEK = 7 * 86_400_000;

/** Monday 00:00 UTC of the week containing `d`. */
function weekStart(d: Date): Date {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
}

/**
 * Counts and chart data; for a client, of their company only. Each figure is one indexed count.
 * Stale companies and assets (gone from the PSA or RMM) are left out, as the lists leave them out.
 */
export async function dashboardData(deps: Deps, scope: number | null, weeks = 12): Promise<DashboardData> {
  const h = deps.db;
  const t = h.t;
  const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
  const own = <C,>(col: C) => (scope === null ? undefined : eq(col as never, scope));
  const contactsOfScope =
    scope === null
      ? undefined
      : inArray(
          t.contacts.id,
          h.db
            .select({ id: t.contactCompanies.contactId })
            .from(t.contactCompanies)
            .where(eq(t.contactCompanies.companyId, scope)),
        );
  const counts = [
    {
      label: scope === null ? "Companies" : "Company",
      value: await n(
        h.db
          .select({ n: count() })
          .from(t.companies)
          .where(and(own(t.companies.id), isNull(t.companies.staleSince))),
      ),
      href: "/companies",
    },
    {
      label: "Contacts",
      value: await n(h.db.select({ n: count() }).from(t.contacts).where(contactsOfScope)),
      href: "/contacts",
    },
    {
      label: "Assets",
      value: await n(
        h.db
          .select({ n: count() })
          .from(t.assets)
          .where(and(own(t.assets.companyId), isNull(t.assets.staleSince))),
      ),
      href: "/assets",
    },
    {
      label: "Open tickets",
      value: await n(
        h.db
          .select({ n: count() })
          .from(t.tickets)
          .where(and(own(t.tickets.companyId), notInArray(t.tickets.status, [...CLOSED_STATUSES]))),
      ),
      href: "/tickets?open=true",
    },
  ];
  if (scope === null) {
    counts.push({ label: "Agents", value: await n(h.db.select({ n: count() }).from(t.agents)), href: "/agents" });
    counts.push({
      label: "Billing plans",
      value: await n(h.db.select({ n: count() }).from(t.billingPlans)),
      href: "/billing/plans",
    });
  }
  const first = weekStart(new Date(Date.now() - (weeks - 1) * WEEK));
  const series: DashboardData["weeks"] = [];
  for (let i = 0; i < weeks; i++) {
    const from = new Date(first.getTime() + i * WEEK);
    const to = new Date(from.getTime() + WEEK);
    series.push({
      week: from.toISOString().slice(5, 10),
      opened: await n(
        h.db
          .select({ n: count() })
          .from(t.tickets)
          .where(and(own(t.tickets.companyId), gte(t.tickets.createdAt, from), lt(t.tickets.createdAt, to))),
      ),
      closed: await n(
        h.db
          .select({ n: count() })
          .from(t.tickets)
          .where(and(own(t.tickets.companyId), gte(t.tickets.closedAt, from), lt(t.tickets.closedAt, to))),
      ),
    });
  }
  const types = await h.db
    .select({ type: t.assets.assetType, n: count() })
    .from(t.assets)
    .where(and(own(t.assets.companyId), isNull(t.assets.staleSince)))
    .groupBy(t.assets.assetType)
    .orderBy(t.assets.assetType);
  return { counts, weeks: series, assetTypes: types.map((x) => ({ label: x.type, value: Number(x.n) })) };
}

export function miscPages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";

  r.add(
    { method: "get", path: "/", access: "read", client: true, page: true, tag, summary: "Dashboard" },
    async (c) => {
      const p = pageCtx(c);
      const data = await dashboardData(deps, await scopeCompanyId(c, deps));
      data.counts = data.counts.map((x) => ({
        ...x,
        href: p.url(x.label === "Company" ? `/companies/${encodeURIComponent(p.company ?? "")}` : x.href),
      }));
      return c.html(<DashboardPage p={p} data={data} title={p.company ? `Dashboard: ${p.company}` : "Dashboard"} />);
    },
  );

  r.add({ method: "get", path: "/agents", access: "staff", page: true, tag, summary: "Agents" }, async (c) => {
    const rows = await h.db.select().from(h.t.agents).orderBy(h.t.agents.name);
    return c.html(<AgentsPage p={pageCtx(c)} agents={rows.map(agentJson)} />);
  });

  r.add({ method: "get", path: "/settings", access: "self", page: true, tag, summary: "My preferences" }, async (c) => {
    const agent = await agentOfUser(deps, c);
    const values = agent ? { theme: agent.theme, home_page: agent.homePage } : { ...DEFAULT_PREFERENCES };
    return c.html(<SettingsPage p={pageCtx(c)} values={values} errors={{}} saved={c.req.query("saved") === "1"} />);
  });
  r.add(
    { method: "post", path: "/settings", access: "self", page: true, tag, summary: "Save my preferences" },
    async (c) => {
      const raw = await formFields(c);
      const parsed = preferencesSchema.safeParse({ theme: raw.theme, home_page: raw.home_page });
      if (!parsed.success) {
        const errors = Object.fromEntries(
          parsed.error.issues.map((i) => [String(i.path[0]), "Choose one of the options."]),
        );
        return c.html(
          <SettingsPage
            p={pageCtx(c)}
            values={{ theme: raw.theme ?? "system", home_page: raw.home_page ?? "nexus" }}
            errors={errors}
            saved={false}
          />,
          422,
        );
      }
      try {
        await savePreferences(deps, c, parsed.data);
      } catch (e) {
        // Someone else's agent holds this person's username or email: say so on the page.
        if (!(e instanceof HttpError) || e.status !== 409) throw e;
        return c.html(
          <SettingsPage
            p={pageCtx(c)}
            values={{ ...DEFAULT_PREFERENCES, ...parsed.data }}
            errors={{}}
            saved={false}
            problem={e.message}
          />,
          409,
        );
      }
      return c.redirect(appUrl(c, "/settings?saved=1"), 303);
    },
  );

  r.add(
    {
      method: "get",
      path: "/admin",
      access: "admin",
      page: true,
      tag,
      summary: "Admin settings: database, syncs, recent changes",
    },
    async (c) => {
      const t = h.t;
      const tables = [
        ["Companies", t.companies],
        ["Contacts", t.contacts],
        ["Locations", t.locations],
        ["Assets", t.assets],
        ["Tickets", t.tickets],
        ["Conversation entries", t.ticketEntries],
        ["Time entries", t.ticketTimeEntries],
        ["Agents", t.agents],
        ["Billing plans", t.billingPlans],
        ["Accepted bills", t.acceptedBills],
        ["Audit log rows", t.auditLog],
      ] as const;
      const stats: { label: string; value: number }[] = [];
      for (const [name, table] of tables) {
        const [row] = (await h.db.select({ n: count() }).from(table as never)) as { n: number }[];
        stats.push({ label: name, value: Number(row?.n ?? 0) });
      }
      const audit = await h.db.select().from(t.auditLog).orderBy(desc(t.auditLog.id)).limit(20);
      return c.html(
        <AdminPage
          p={pageCtx(c)}
          stats={stats}
          jobs={await listJobs(h, { limit: 10 })}
          audit={audit}
          engine={h.engine === "sqlite" ? "SQLite" : "PostgreSQL"}
        />,
      );
    },
  );
}
