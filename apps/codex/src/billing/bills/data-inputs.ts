import { and, count, eq, gte, inArray, isNull, lt, notInArray, sum } from "drizzle-orm";
import type { CodexDb } from "../deps.ts";
import type { BillingPlan, Company } from "../db/schema.ts";
import { selectIn } from "../shared/data-common.ts";
import { ZERO_RATES, type BillInput, type DeviceType, type Rates } from "./engine.ts";

const RATE_KEYS = Object.keys(ZERO_RATES) as (keyof Rates)[];

/** The plan's rates with the company's overrides (non-null fields) laid over them. */
export function effectiveRates(
  plan: BillingPlan | null | undefined,
  overrides: Partial<Record<keyof Rates, number | null>> | null | undefined,
): Rates {
  const out = { ...ZERO_RATES };
  for (const k of RATE_KEYS) {
    const o = overrides?.[k];
    out[k] = o !== null && o !== undefined ? o : plan ? plan[k] : 0;
  }
  return out;
}

export const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month - 1, 1));

/**
 * Everything the engine needs for each company in one month, in a fixed number of queries
 * (aggregated in SQL), whether for one company or all of them.
 */
export async function loadBillInputs(
  h: CodexDb,
  year: number,
  month: number,
  only: Company[] | null,
): Promise<Map<number, BillInput>> {
  const t = h.t;
  const companies = only ?? (await h.db.select().from(t.companies).orderBy(t.companies.accountNumber));
  const ids = companies.map((c) => c.id);
  const forCompanies = <C>(col: C) => (only ? inArray(col as never, ids) : undefined);
  const plans = new Map((await h.db.select().from(t.billingPlans)).map((p) => [p.id, p]));
  const overrides = new Map(
    (await h.db.select().from(t.companyBillingOverrides).where(forCompanies(t.companyBillingOverrides.companyId))).map(
      (o) => [o.companyId, o],
    ),
  );

  const inputs = new Map<number, BillInput>();
  for (const c of companies) {
    const plan = c.billingPlanId ? plans.get(c.billingPlanId) : undefined;
    const own = overrides.get(c.id);
    inputs.set(c.id, {
      company: { id: c.id, accountNumber: c.accountNumber, name: c.name },
      year,
      month,
      plan: plan ? { name: plan.name, term: plan.term, supportLevel: plan.supportLevel } : null,
      rates: effectiveRates(plan, own),
      planRates: effectiveRates(plan, null),
      overriddenRates: own ? RATE_KEYS.filter((k) => own[k] !== null && own[k] !== undefined) : [],
      assetGroups: [],
      overriddenAssets: [],
      paidUsers: 0,
      overriddenUsers: [],
      manualAssets: [],
      manualUsers: [],
      minutesThisMonth: 0,
      minutesEarlierMonths: [],
      lineItems: [],
    });
  }
  if (ids.length === 0) return inputs;

  const overridden = h.db.select({ id: t.assetBillingOverrides.assetId }).from(t.assetBillingOverrides);
  const groups = await h.db
    .select({
      companyId: t.assets.companyId,
      type: t.assets.assetType,
      backedUp: t.assets.backedUp,
      n: count(),
      bytes: sum(t.assets.backupBytes),
    })
    .from(t.assets)
    // Stale assets (gone from the RMM) are kept for the record but no longer billed.
    .where(and(forCompanies(t.assets.companyId), notInArray(t.assets.id, overridden), isNull(t.assets.staleSince)))
    .groupBy(t.assets.companyId, t.assets.assetType, t.assets.backedUp);
  for (const g of groups)
    inputs.get(g.companyId)?.assetGroups.push({
      type: g.type as DeviceType,
      backedUp: Boolean(g.backedUp),
      count: Number(g.n),
      backupBytes: Number(g.bytes ?? 0),
    });

  const special = await h.db
    .select({ o: t.assetBillingOverrides, a: t.assets })
    .from(t.assetBillingOverrides)
    .innerJoin(t.assets, eq(t.assets.id, t.assetBillingOverrides.assetId))
    .where(and(forCompanies(t.assets.companyId), isNull(t.assets.staleSince)));
  for (const { o, a } of special) {
    inputs.get(a.companyId)?.overriddenAssets.push({
      assetId: a.id,
      hostname: a.hostname,
      assetType: a.assetType,
      billing: o.billingType,
      customCents: o.customCents,
      backedUp: a.backedUp,
      backupBytes: a.backupBytes,
    });
  }

  const cc = t.contactCompanies;
  const userOverrides = await h.db
    .select({ o: t.contactBillingOverrides, name: t.contacts.name, active: t.contacts.active })
    .from(t.contactBillingOverrides)
    .innerJoin(t.contacts, eq(t.contacts.id, t.contactBillingOverrides.contactId))
    .innerJoin(
      cc,
      and(eq(cc.contactId, t.contactBillingOverrides.contactId), eq(cc.companyId, t.contactBillingOverrides.companyId)),
    )
    .where(forCompanies(t.contactBillingOverrides.companyId));
  for (const { o, name, active } of userOverrides) {
    if (active)
      inputs
        .get(o.companyId)
        ?.overriddenUsers.push({ contactId: o.contactId, name, billing: o.billingType, customCents: o.customCents });
  }
  const users = await h.db
    .select({ companyId: cc.companyId, n: count() })
    .from(cc)
    .innerJoin(t.contacts, eq(t.contacts.id, cc.contactId))
    .where(and(forCompanies(cc.companyId), eq(t.contacts.active, true)))
    .groupBy(cc.companyId);
  for (const u of users) {
    const input = inputs.get(u.companyId);
    if (input)
      input.paidUsers = Number(u.n) - userOverrides.filter((x) => x.o.companyId === u.companyId && x.active).length;
  }

  const minutes = async (from: Date, to: Date, companyIds: number[] | null) =>
    h.db
      .select({ companyId: t.ticketTimeEntries.companyId, m: sum(t.ticketTimeEntries.minutes) })
      .from(t.ticketTimeEntries)
      .where(
        and(
          companyIds ? inArray(t.ticketTimeEntries.companyId, companyIds) : forCompanies(t.ticketTimeEntries.companyId),
          eq(t.ticketTimeEntries.billable, true),
          gte(t.ticketTimeEntries.loggedAt, from),
          lt(t.ticketTimeEntries.loggedAt, to),
        ),
      )
      .groupBy(t.ticketTimeEntries.companyId);
  const end = month === 12 ? monthStart(year + 1, 1) : monthStart(year, month + 1);
  for (const m of await minutes(monthStart(year, month), end, null)) {
    const input = inputs.get(m.companyId);
    if (input) input.minutesThisMonth = Number(m.m ?? 0);
  }
  // Earlier months matter only where a yearly prepaid pool exists.
  const yearly = [...inputs.values()].filter((i) => i.rates.prepaidMinutesYearly > 0).map((i) => i.company.id);
  for (const i of inputs.values()) i.minutesEarlierMonths = Array.from({ length: month - 1 }, () => 0);
  if (yearly.length) {
    for (let k = 1; k < month; k++) {
      for (const m of await minutes(monthStart(year, k), monthStart(year, k + 1), yearly))
        inputs.get(m.companyId)!.minutesEarlierMonths[k - 1] = Number(m.m ?? 0);
    }
  }

  for (const m of await h.db
    .select()
    .from(t.manualAssets)
    .where(forCompanies(t.manualAssets.companyId))
    .orderBy(t.manualAssets.id)) {
    inputs
      .get(m.companyId)
      ?.manualAssets.push({ id: m.id, hostname: m.hostname, billing: m.billingType, customCents: m.customCents });
  }
  for (const m of await h.db
    .select()
    .from(t.manualUsers)
    .where(forCompanies(t.manualUsers.companyId))
    .orderBy(t.manualUsers.id)) {
    inputs
      .get(m.companyId)
      ?.manualUsers.push({ id: m.id, name: m.name, billing: m.billingType, customCents: m.customCents });
  }

  const items = await selectIn(
    ids,
    (part) =>
      h.db
        .select()
        .from(t.lineItems)
        .where(inArray(t.lineItems.companyId, part as number[]))
        .orderBy(t.lineItems.id),
    900,
  );
  for (const li of items) inputs.get(li.companyId)?.lineItems.push(li);
  return inputs;
}
