/**
 * The billing engine: a pure function from what a company has in a month to its bill. All
 * money is integer cents; fractions (per-TB overage, per-hour time) are rounded half up once,
 * on the line's total. Unlike the old Ledger engine: servers, VMs, switches and firewalls are
 * billed as what they are; backed-up assets pay their backup base fee; ticket time counts in
 * the month it was logged (not the month the ticket was last touched).
 */

export const TB = 2 ** 40;

export interface Rates {
  perUserCents: number;
  perWorkstationCents: number;
  perServerCents: number;
  perVmCents: number;
  perSwitchCents: number;
  perFirewallCents: number;
  perHourCents: number;
  prepaidMinutesMonthly: number;
  prepaidMinutesYearly: number;
  backupBaseWorkstationCents: number;
  backupBaseServerCents: number;
  backupIncludedTb: number;
  backupPerTbCents: number;
}

export const ZERO_RATES: Rates = {
  perUserCents: 0,
  perWorkstationCents: 0,
  perServerCents: 0,
  perVmCents: 0,
  perSwitchCents: 0,
  perFirewallCents: 0,
  perHourCents: 0,
  prepaidMinutesMonthly: 0,
  prepaidMinutesYearly: 0,
  backupBaseWorkstationCents: 0,
  backupBaseServerCents: 0,
  backupIncludedTb: 0,
  backupPerTbCents: 0,
};

export type DeviceType = "workstation" | "server" | "vm" | "switch" | "firewall" | "other";
export type AssetBilling = DeviceType | "no_charge" | "custom";

/** Assets billed by their type, grouped (the usual case, aggregated in SQL). */
export interface AssetGroup {
  type: DeviceType;
  backedUp: boolean;
  count: number;
  backupBytes: number;
}

/** An asset with a billing override, listed one by one. */
export interface OverriddenAsset {
  assetId: number;
  hostname: string;
  assetType: DeviceType;
  billing: AssetBilling;
  customCents: number | null;
  backedUp: boolean;
  backupBytes: number;
}

export interface OverriddenUser {
  contactId: number;
  name: string;
  billing: "paid" | "free" | "custom";
  customCents: number | null;
}

/** A device or user billed by hand (not in Codex's lists): Ledger's manual assets and users. */
export interface ManualAsset {
  id: number;
  hostname: string;
  billing: Exclude<AssetBilling, "other">;
  customCents: number | null;
}
export interface ManualUser {
  id: number;
  name: string;
  billing: "paid" | "free" | "custom";
  customCents: number | null;
}

export interface LineItemInput {
  id: number;
  name: string;
  description: string | null;
  kind: "monthly" | "one_off" | "yearly";
  amountCents: number;
  year: number | null;
  month: number | null;
}

export interface BillInput {
  company: { id: number; accountNumber: string; name: string };
  year: number;
  month: number;
  plan: { name: string; term: string; supportLevel: string } | null;
  rates: Rates;
  /** The plan's own rates (zero without a plan) and which of `rates` the company overrides. */
  planRates: Rates;
  overriddenRates: (keyof Rates)[];
  assetGroups: AssetGroup[];
  overriddenAssets: OverriddenAsset[];
  /** Active contacts of the company without a billing override. */
  paidUsers: number;
  overriddenUsers: OverriddenUser[];
  manualAssets: ManualAsset[];
  manualUsers: ManualUser[];
  /** Billable minutes logged this month. */
  minutesThisMonth: number;
  /** Billable minutes logged in each earlier month of the year (January first). */
  minutesEarlierMonths: number[];
  lineItems: LineItemInput[];
}

export type LineCategory = "users" | "assets" | "backup" | "tickets" | "line_items";

export interface BillLine {
  category: LineCategory;
  description: string;
  quantity: number;
  unit_cents: number;
  amount_cents: number;
}

/** What this company is billed differently from its plan and its Codex records (staff only). */
export interface BillAdjustments {
  rates: { field: string; plan: number; override: number }[];
  assets: { hostname: string; asset_type: string; billed_as: string; custom_cents: number | null }[];
  users: { name: string; billed_as: string; custom_cents: number | null }[];
  manual_assets: { hostname: string; billed_as: string; custom_cents: number | null }[];
  manual_users: { name: string; billed_as: string; custom_cents: number | null }[];
}

export interface Bill {
  account_number: string;
  company_name: string;
  year: number;
  month: number;
  period: string;
  invoice_number: string;
  plan: { name: string; term: string; support_level: string } | null;
  rates: Record<string, number>;
  counts: {
    users: number;
    workstations: number;
    servers: number;
    vms: number;
    switches: number;
    firewalls: number;
    backed_up_workstations: number;
    backed_up_servers: number;
  };
  tickets: {
    minutes_logged: number;
    prepaid_monthly_minutes: number;
    yearly_prepaid_remaining_minutes: number;
    billable_minutes: number;
  };
  backup: { total_bytes: number; included_bytes: number; overage_bytes: number; overage_tb: number };
  lines: BillLine[];
  totals: Record<`${LineCategory}_cents` | "total_cents", number>;
  /** Absent in snapshots accepted before it existed. */
  adjustments?: BillAdjustments;
}

/** Rates as the API names them (the plan's columns in snake case). */
export const RATE_API_NAMES: Record<keyof Rates, string> = {
  perUserCents: "per_user_cents",
  perWorkstationCents: "per_workstation_cents",
  perServerCents: "per_server_cents",
  perVmCents: "per_vm_cents",
  perSwitchCents: "per_switch_cents",
  perFirewallCents: "per_firewall_cents",
  perHourCents: "per_hour_cents",
  prepaidMinutesMonthly: "prepaid_minutes_monthly",
  prepaidMinutesYearly: "prepaid_minutes_yearly",
  backupBaseWorkstationCents: "backup_base_workstation_cents",
  backupBaseServerCents: "backup_base_server_cents",
  backupIncludedTb: "backup_included_tb",
  backupPerTbCents: "backup_per_tb_cents",
};

/** round(a × b / c) half up, exactly, for non-negative integers. */
export function mulDivRound(a: number, b: number, c: number): number {
  const n = BigInt(a) * BigInt(b) * 2n + BigInt(c);
  return Number(n / (BigInt(c) * 2n));
}

export function invoiceNumber(accountNumber: string, year: number, month: number): string {
  return `${accountNumber}-${year}${String(month).padStart(2, "0")}`;
}

const DEVICE_RATE: Record<DeviceType, keyof Rates | null> = {
  workstation: "perWorkstationCents",
  server: "perServerCents",
  vm: "perVmCents",
  switch: "perSwitchCents",
  firewall: "perFirewallCents",
  other: null,
};
const DEVICE_LABEL: Record<DeviceType, string> = {
  workstation: "Workstations",
  server: "Servers",
  vm: "Virtual machines",
  switch: "Switches",
  firewall: "Firewalls",
  other: "Other devices",
};

/** The backup base fee class of a backed-up device: servers and VMs pay the server fee. */
function backupClass(type: DeviceType): "workstation" | "server" | null {
  if (type === "workstation") return "workstation";
  if (type === "server" || type === "vm") return "server";
  return null;
}

/**
 * Yearly prepaid time left at the start of this month: each earlier month's time beyond the
 * monthly allowance drew on the yearly pool first.
 */
export function yearlyRemaining(rates: Rates, earlier: number[]): number {
  let left = rates.prepaidMinutesYearly;
  for (const m of earlier) left = Math.max(0, left - Math.max(0, m - rates.prepaidMinutesMonthly));
  return left;
}

export function computeBill(input: BillInput): Bill {
  const r = input.rates;
  const lines: BillLine[] = [];
  const add = (
    category: LineCategory,
    description: string,
    quantity: number,
    unit: number,
    amount = quantity * unit,
  ) => {
    if (quantity === 0 && amount === 0) return;
    lines.push({ category, description, quantity, unit_cents: unit, amount_cents: amount });
  };

  // Users: active contacts (paid unless overridden) and users billed by hand
  const specialUsers: { name: string; billing: "paid" | "free" | "custom"; customCents: number | null }[] = [
    ...input.overriddenUsers,
    ...input.manualUsers,
  ];
  const freeUsers = specialUsers.filter((u) => u.billing === "free").length;
  const customUsers = specialUsers.filter((u) => u.billing === "custom");
  const paid = input.paidUsers + specialUsers.filter((u) => u.billing === "paid").length;
  add("users", "Users", paid, r.perUserCents);
  for (const u of customUsers) add("users", `${u.name} (custom price)`, 1, u.customCents ?? 0);
  if (freeUsers) add("users", "Users at no charge", freeUsers, 0);

  // Devices, by what they are billed as
  const counts = new Map<DeviceType, number>();
  const backups: { cls: "workstation" | "server" | null; bytes: number; count: number }[] = [];
  for (const g of input.assetGroups) {
    counts.set(g.type, (counts.get(g.type) ?? 0) + g.count);
    if (g.backedUp) backups.push({ cls: backupClass(g.type), bytes: g.backupBytes, count: g.count });
  }
  const custom: OverriddenAsset[] = [];
  let noCharge = 0;
  const manual: OverriddenAsset[] = input.manualAssets.map((m) => ({
    assetId: 0,
    hostname: m.hostname,
    assetType: "other",
    billing: m.billing,
    customCents: m.customCents,
    backedUp: false,
    backupBytes: 0,
  }));
  for (const a of [...input.overriddenAssets, ...manual]) {
    if (a.billing === "custom") custom.push(a);
    else if (a.billing === "no_charge") noCharge++;
    else counts.set(a.billing, (counts.get(a.billing) ?? 0) + 1);
    const billedAs = a.billing === "custom" || a.billing === "no_charge" ? a.assetType : a.billing;
    if (a.backedUp) backups.push({ cls: backupClass(billedAs), bytes: a.backupBytes, count: 1 });
  }
  for (const type of ["workstation", "server", "vm", "switch", "firewall"] as const) {
    const n = counts.get(type) ?? 0;
    add("assets", DEVICE_LABEL[type], n, r[DEVICE_RATE[type]!]);
  }
  for (const a of custom) add("assets", `${a.hostname} (custom price)`, 1, a.customCents ?? 0);
  if (noCharge) add("assets", "Devices at no charge", noCharge, 0);

  // Backup: a base fee per backed-up workstation or server, then overage beyond the included TB
  const baseWs = backups.filter((b) => b.cls === "workstation").reduce((s, b) => s + b.count, 0);
  const baseSrv = backups.filter((b) => b.cls === "server").reduce((s, b) => s + b.count, 0);
  add("backup", "Backup base fee, workstations", baseWs, r.backupBaseWorkstationCents);
  add("backup", "Backup base fee, servers", baseSrv, r.backupBaseServerCents);
  const totalBytes = backups.reduce((s, b) => s + b.bytes, 0);
  const includedBytes = (baseWs + baseSrv) * r.backupIncludedTb * TB;
  const overageBytes = Math.max(0, totalBytes - includedBytes);
  const overageTb = Math.round((overageBytes / TB) * 100) / 100;
  if (overageBytes > 0)
    add(
      "backup",
      "Backup storage beyond the included TB",
      overageTb,
      r.backupPerTbCents,
      mulDivRound(overageBytes, r.backupPerTbCents, TB),
    );

  // Ticket time logged this month, beyond the monthly and then the yearly prepaid time
  const remaining = yearlyRemaining(r, input.minutesEarlierMonths);
  const afterMonthly = Math.max(0, input.minutesThisMonth - r.prepaidMinutesMonthly);
  const billable = Math.max(0, afterMonthly - remaining);
  if (billable > 0)
    add(
      "tickets",
      "Support time beyond prepaid hours",
      Math.round((billable / 60) * 100) / 100,
      r.perHourCents,
      mulDivRound(billable, r.perHourCents, 60),
    );

  // Line items due this month
  for (const li of input.lineItems) {
    const due =
      li.kind === "monthly" ||
      (li.kind === "one_off" && li.year === input.year && li.month === input.month) ||
      (li.kind === "yearly" && li.month === input.month);
    if (due) add("line_items", li.description ? `${li.name}: ${li.description}` : li.name, 1, li.amountCents);
  }

  const sum = (cat: LineCategory) => lines.filter((l) => l.category === cat).reduce((s, l) => s + l.amount_cents, 0);
  const totals = {
    users_cents: sum("users"),
    assets_cents: sum("assets"),
    backup_cents: sum("backup"),
    tickets_cents: sum("tickets"),
    line_items_cents: sum("line_items"),
    total_cents: 0,
  };
  totals.total_cents =
    totals.users_cents + totals.assets_cents + totals.backup_cents + totals.tickets_cents + totals.line_items_cents;

  return {
    account_number: input.company.accountNumber,
    company_name: input.company.name,
    year: input.year,
    month: input.month,
    period: `${input.year}-${String(input.month).padStart(2, "0")}`,
    invoice_number: invoiceNumber(input.company.accountNumber, input.year, input.month),
    plan: input.plan ? { name: input.plan.name, term: input.plan.term, support_level: input.plan.supportLevel } : null,
    rates: {
      per_user_cents: r.perUserCents,
      per_workstation_cents: r.perWorkstationCents,
      per_server_cents: r.perServerCents,
      per_vm_cents: r.perVmCents,
      per_switch_cents: r.perSwitchCents,
      per_firewall_cents: r.perFirewallCents,
      per_hour_cents: r.perHourCents,
      prepaid_minutes_monthly: r.prepaidMinutesMonthly,
      prepaid_minutes_yearly: r.prepaidMinutesYearly,
      backup_base_workstation_cents: r.backupBaseWorkstationCents,
      backup_base_server_cents: r.backupBaseServerCents,
      backup_included_tb: r.backupIncludedTb,
      backup_per_tb_cents: r.backupPerTbCents,
    },
    counts: {
      users: paid + freeUsers + customUsers.length,
      workstations: counts.get("workstation") ?? 0,
      servers: counts.get("server") ?? 0,
      vms: counts.get("vm") ?? 0,
      switches: counts.get("switch") ?? 0,
      firewalls: counts.get("firewall") ?? 0,
      backed_up_workstations: baseWs,
      backed_up_servers: baseSrv,
    },
    tickets: {
      minutes_logged: input.minutesThisMonth,
      prepaid_monthly_minutes: r.prepaidMinutesMonthly,
      yearly_prepaid_remaining_minutes: remaining,
      billable_minutes: billable,
    },
    backup: {
      total_bytes: totalBytes,
      included_bytes: includedBytes,
      overage_bytes: overageBytes,
      overage_tb: overageTb,
    },
    lines,
    totals,
    adjustments: {
      rates: input.overriddenRates.map((k) => ({ field: RATE_API_NAMES[k], plan: input.planRates[k], override: r[k] })),
      assets: input.overriddenAssets.map((a) => ({
        hostname: a.hostname,
        asset_type: a.assetType,
        billed_as: a.billing,
        custom_cents: a.billing === "custom" ? a.customCents : null,
      })),
      users: input.overriddenUsers.map((u) => ({
        name: u.name,
        billed_as: u.billing,
        custom_cents: u.billing === "custom" ? u.customCents : null,
      })),
      manual_assets: input.manualAssets.map((m) => ({
        hostname: m.hostname,
        billed_as: m.billing,
        custom_cents: m.billing === "custom" ? m.customCents : null,
      })),
      manual_users: input.manualUsers.map((m) => ({
        name: m.name,
        billed_as: m.billing,
        custom_cents: m.billing === "custom" ? m.customCents : null,
      })),
    },
  };
}
