import type { CodexDb } from "../../deps.ts";
import { billsFor } from "./data.ts";
import { type BillingDashboard, type BillView, EXPIRING_WITHIN_DAYS } from "./json.ts";

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Revenue by plan name, largest first. */
function revenueByPlan(bills: BillView[]): BillingDashboard["revenue_by_plan"] {
  const byPlan = new Map<string, { companies: number; revenue_cents: number }>();
  for (const bill of bills) {
    const key = bill.plan?.name ?? "No plan";
    const entry = byPlan.get(key) ?? { companies: 0, revenue_cents: 0 };
    entry.companies++;
    entry.revenue_cents += bill.totals.total_cents;
    byPlan.set(key, entry);
  }
  return [...byPlan.entries()]
    .map(([plan, entry]) => ({ plan, ...entry }))
    .sort((one, other) => other.revenue_cents - one.revenue_cents || one.plan.localeCompare(other.plan));
}

/**
 * The billing dashboard for a month: figures from the month's bills (computed in one pass, as
 * the month overview shows them) and one read of the companies' contract dates. A contract is
 * active when the company has a plan and today lies between its start and end (either may be
 * open); it is expiring when it ends within the next 60 days.
 */
export async function billingDashboard(
  db: CodexDb,
  year: number,
  month: number,
  today = new Date(),
): Promise<{ dashboard: BillingDashboard; bills: BillView[] }> {
  const bills = await billsFor(db, year, month);
  const table = db.t.companies;
  const companies = await db.db
    .select({
      accountNumber: table.accountNumber,
      name: table.name,
      planId: table.billingPlanId,
      start: table.contractStart,
      end: table.contractEnd,
    })
    .from(table);
  const plans = db.t.billingPlans;
  const planById = new Map(
    (await db.db.select({ id: plans.id, name: plans.name, term: plans.term }).from(plans)).map((plan) => [
      plan.id,
      plan,
    ]),
  );
  const day = isoDay(today);
  const horizon = isoDay(
    new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + EXPIRING_WITHIN_DAYS)),
  );
  const dayMs = Date.parse(`${day}T00:00:00Z`);

  let active = 0;
  const expiring: BillingDashboard["expiring"] = [];
  for (const company of companies) {
    const { start, end } = company;
    if (company.planId !== null && (!start || start <= day) && (!end || end >= day)) active++;
    if (end && end >= day && end <= horizon) {
      const plan = company.planId !== null ? planById.get(company.planId) : undefined;
      expiring.push({
        account_number: company.accountNumber,
        name: company.name,
        plan: plan ? `${plan.name} (${plan.term.replace(/_/g, " ")})` : null,
        contract_end: end,
        days_left: Math.round((Date.parse(`${end}T00:00:00Z`) - dayMs) / 86_400_000),
      });
    }
  }
  expiring.sort(
    (one, other) =>
      one.contract_end.localeCompare(other.contract_end) || one.account_number.localeCompare(other.account_number),
  );

  const total = (list: BillView[]) => list.reduce((sum, bill) => sum + bill.totals.total_cents, 0);
  return {
    bills,
    dashboard: {
      year,
      month,
      total_clients: companies.length,
      revenue_cents: total(bills),
      accepted_cents: total(bills.filter((bill) => bill.accepted)),
      active_contracts: active,
      expiring,
      revenue_by_plan: revenueByPlan(bills),
    },
  };
}
