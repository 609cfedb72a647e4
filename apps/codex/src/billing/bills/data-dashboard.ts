import type { CodexDb } from "../deps.ts";
import { billsFor, type BillView } from "./bills.ts";

export const EXPIRING_WITHIN_DAYS = 60;

export interface BillingDashboard {
  year: number;
  month: number;
  total_clients: number;
  revenue_cents: number;
  accepted_cents: number;
  active_contracts: number;
  expiring: { account_number: string; name: string; plan: string | null; contract_end: string; days_left: number }[];
  revenue_by_plan: { plan: string; companies: number; revenue_cents: number }[];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The billing dashboard for a month: figures from the month's bills (computed in one pass, as
 * the month overview shows them) and one read of the companies' contract dates. A contract is
 * active when the company has a plan and today lies between its start and end (either may be
 * open); it is expiring when it ends within the next 60 days.
 */
export async function billingDashboard(
  h: CodexDb,
  year: number,
  month: number,
  today = new Date(),
): Promise<{ dashboard: BillingDashboard; bills: BillView[] }> {
  const bills = await billsFor(h, year, month);
  const t = h.t.companies;
  const companies = await h.db
    .select({
      accountNumber: t.accountNumber,
      name: t.name,
      planId: t.billingPlanId,
      start: t.contractStart,
      end: t.contractEnd,
    })
    .from(t);
  const plans = new Map(
    (
      await h.db
        .select({ id: h.t.billingPlans.id, name: h.t.billingPlans.name, term: h.t.billingPlans.term })
        .from(h.t.billingPlans)
    ).map((p) => [p.id, p]),
  );
  const day = isoDay(today);
  const horizon = isoDay(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + EXPIRING_WITHIN_DAYS)),
  );
  const dayMs = Date.parse(`${day}T00:00:00Z`);

  let active = 0;
  const expiring: BillingDashboard["expiring"] = [];
  for (const c of companies) {
    if (c.planId !== null && (!c.start || c.start <= day) && (!c.end || c.end >= day)) active++;
    if (c.end && c.end >= day && c.end <= horizon) {
      const plan = c.planId !== null ? plans.get(c.planId) : undefined;
      expiring.push({
        account_number: c.accountNumber,
        name: c.name,
        plan: plan ? `${plan.name} (${plan.term.replace(/_/g, " ")})` : null,
        contract_end: c.end,
        days_left: Math.round((Date.parse(`${c.end}T00:00:00Z`) - dayMs) / 86_400_000),
      });
    }
  }
  expiring.sort(
    (a, b) => a.contract_end.localeCompare(b.contract_end) || a.account_number.localeCompare(b.account_number),
  );

  const byPlan = new Map<string, { companies: number; revenue_cents: number }>();
  for (const b of bills) {
    const key = b.plan?.name ?? "No plan";
    const entry = byPlan.get(key) ?? { companies: 0, revenue_cents: 0 };
    entry.companies++;
    entry.revenue_cents += b.totals.total_cents;
    byPlan.set(key, entry);
  }
  const revenue_by_plan = [...byPlan.entries()]
    .map(([plan, v]) => ({ plan, ...v }))
    .sort((a, b) => b.revenue_cents - a.revenue_cents || a.plan.localeCompare(b.plan));

  return {
    bills,
    dashboard: {
      year,
      month,
      total_clients: companies.length,
      revenue_cents: bills.reduce((s, b) => s + b.totals.total_cents, 0),
      accepted_cents: bills.filter((b) => b.accepted).reduce((s, b) => s + b.totals.total_cents, 0),
      active_contracts: active,
      expiring,
      revenue_by_plan,
    },
  };
}
