import {
  type Bill,
  type BillAdjustments,
  type BillInput,
  type BillLine,
  type DeviceType,
  type LineCategory,
  type LineItemInput,
  type OverriddenAsset,
  RATE_FIELDS,
  type RateField,
  type Rates,
  TB,
} from "./types.ts";

/**
 * The billing engine: a pure function from what a company has in a month to its bill. All
 * money is integer cents; fractions (per-TB overage, per-hour time) are rounded half up once,
 * on the line's total. Unlike the old Ledger engine: servers, VMs, switches and firewalls are
 * billed as what they are; backed-up assets pay their backup base fee; ticket time counts in
 * the month it was logged (not the month the ticket was last touched).
 */

/** round(value × multiplier / divisor) half up, exactly, for non-negative integers. */
export function mulDivRound(value: number, multiplier: number, divisor: number): number {
  const doubled = BigInt(value) * BigInt(multiplier) * 2n + BigInt(divisor);
  return Number(doubled / (BigInt(divisor) * 2n));
}

export function invoiceNumber(accountNumber: string, year: number, month: number): string {
  return `${accountNumber}-${year}${String(month).padStart(2, "0")}`;
}

const RATE_API_NAMES = Object.fromEntries(Object.entries(RATE_FIELDS).map(([api, key]) => [key, api])) as Record<
  keyof Rates,
  RateField
>;

/** Devices billed at a rate of their type ("other" devices are free), in the order bills list them. */
type RatedDevice = Exclude<DeviceType, "other">;
const RATED_DEVICES: readonly RatedDevice[] = ["workstation", "server", "vm", "switch", "firewall"];
const DEVICE_RATE: Record<RatedDevice, keyof Rates> = {
  workstation: "perWorkstationCents",
  server: "perServerCents",
  vm: "perVmCents",
  switch: "perSwitchCents",
  firewall: "perFirewallCents",
};
const DEVICE_LABEL: Record<RatedDevice, string> = {
  workstation: "Workstations",
  server: "Servers",
  vm: "Virtual machines",
  switch: "Switches",
  firewall: "Firewalls",
};

type BackupClass = "workstation" | "server" | null;

/** The backup base fee class of a backed-up device: servers and VMs pay the server fee. */
function backupClass(type: DeviceType): BackupClass {
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
  for (const minutes of earlier) left = Math.max(0, left - Math.max(0, minutes - rates.prepaidMinutesMonthly));
  return left;
}

/** The lines of a bill, as they are added. */
class Lines {
  readonly lines: BillLine[] = [];

  /** A line with nothing on it (no quantity, no amount) is left out. */
  add(category: LineCategory, description: string, quantity: number, unit: number, amount = quantity * unit) {
    if (quantity === 0 && amount === 0) return;
    this.lines.push({ category, description, quantity, unit_cents: unit, amount_cents: amount });
  }

  sum(category: LineCategory): number {
    return this.lines.filter((line) => line.category === category).reduce((sum, line) => sum + line.amount_cents, 0);
  }
}

/** Users: active contacts (paid unless overridden) and users billed by hand. */
function billUsers(input: BillInput, lines: Lines) {
  const special = [...input.overriddenUsers, ...input.manualUsers];
  const free = special.filter((user) => user.billing === "free").length;
  const custom = special.filter((user) => user.billing === "custom");
  const paid = input.paidUsers + special.filter((user) => user.billing === "paid").length;
  lines.add("users", "Users", paid, input.rates.perUserCents);
  for (const user of custom) lines.add("users", `${user.name} (custom price)`, 1, user.customCents ?? 0);
  lines.add("users", "Users at no charge", free, 0);
  return paid + free + custom.length;
}

/** Devices, by what they are billed as; what is backed up, for the backup lines. */
function billDevices(input: BillInput, lines: Lines) {
  const counts = new Map<DeviceType, number>();
  const backups: { backup: BackupClass; bytes: number; count: number }[] = [];
  for (const group of input.assetGroups) {
    counts.set(group.type, (counts.get(group.type) ?? 0) + group.count);
    if (group.backedUp) backups.push({ backup: backupClass(group.type), bytes: group.backupBytes, count: group.count });
  }
  const custom: OverriddenAsset[] = [];
  let noCharge = 0;
  const manual: OverriddenAsset[] = input.manualAssets.map((asset) => ({
    assetId: 0,
    hostname: asset.hostname,
    assetType: "other",
    billing: asset.billing,
    customCents: asset.customCents,
    backedUp: false,
    backupBytes: 0,
  }));
  for (const asset of [...input.overriddenAssets, ...manual]) {
    if (asset.billing === "custom") custom.push(asset);
    else if (asset.billing === "no_charge") noCharge++;
    else counts.set(asset.billing, (counts.get(asset.billing) ?? 0) + 1);
    const billedAs = asset.billing === "custom" || asset.billing === "no_charge" ? asset.assetType : asset.billing;
    if (asset.backedUp) backups.push({ backup: backupClass(billedAs), bytes: asset.backupBytes, count: 1 });
  }
  for (const type of RATED_DEVICES)
    lines.add("assets", DEVICE_LABEL[type], counts.get(type) ?? 0, input.rates[DEVICE_RATE[type]]);
  for (const asset of custom) lines.add("assets", `${asset.hostname} (custom price)`, 1, asset.customCents ?? 0);
  lines.add("assets", "Devices at no charge", noCharge, 0);
  return { counts, backups };
}

/** Backup: a base fee per backed-up workstation or server, then overage beyond the included TB. */
function billBackup(rates: Rates, backups: ReturnType<typeof billDevices>["backups"], lines: Lines) {
  const countOf = (backup: BackupClass) =>
    backups.filter((entry) => entry.backup === backup).reduce((sum, entry) => sum + entry.count, 0);
  const workstations = countOf("workstation");
  const servers = countOf("server");
  lines.add("backup", "Backup base fee, workstations", workstations, rates.backupBaseWorkstationCents);
  lines.add("backup", "Backup base fee, servers", servers, rates.backupBaseServerCents);
  const totalBytes = backups.reduce((sum, entry) => sum + entry.bytes, 0);
  const includedBytes = (workstations + servers) * rates.backupIncludedTb * TB;
  const overageBytes = Math.max(0, totalBytes - includedBytes);
  const overageTb = Math.round((overageBytes / TB) * 100) / 100;
  lines.add(
    "backup",
    "Backup storage beyond the included TB",
    overageTb,
    rates.backupPerTbCents,
    mulDivRound(overageBytes, rates.backupPerTbCents, TB),
  );
  return {
    workstations,
    servers,
    backup: {
      total_bytes: totalBytes,
      included_bytes: includedBytes,
      overage_bytes: overageBytes,
      overage_tb: overageTb,
    },
  };
}

/** Ticket time logged this month, beyond the monthly and then the yearly prepaid time. */
function billTime(input: BillInput, lines: Lines): Bill["tickets"] {
  const rates = input.rates;
  const remaining = yearlyRemaining(rates, input.minutesEarlierMonths);
  const afterMonthly = Math.max(0, input.minutesThisMonth - rates.prepaidMinutesMonthly);
  const billable = Math.max(0, afterMonthly - remaining);
  lines.add(
    "tickets",
    "Support time beyond prepaid hours",
    Math.round((billable / 60) * 100) / 100,
    rates.perHourCents,
    mulDivRound(billable, rates.perHourCents, 60),
  );
  return {
    minutes_logged: input.minutesThisMonth,
    prepaid_monthly_minutes: rates.prepaidMinutesMonthly,
    yearly_prepaid_remaining_minutes: remaining,
    billable_minutes: billable,
  };
}

/** Whether a line item is billed in this month: monthly ones always, yearly ones in their month, one-offs once. */
function isDue(item: LineItemInput, year: number, month: number): boolean {
  if (item.kind === "monthly") return true;
  if (item.kind === "yearly") return item.month === month;
  return item.year === year && item.month === month;
}

/** Line items due this month. */
function billLineItems(input: BillInput, lines: Lines) {
  for (const item of input.lineItems)
    if (isDue(item, input.year, input.month))
      lines.add("line_items", item.description ? `${item.name}: ${item.description}` : item.name, 1, item.amountCents);
}

/** What this company is billed differently from its plan and its Codex records. */
function adjustmentsOf(input: BillInput): BillAdjustments {
  const customOnly = (billing: string, cents: number | null) => (billing === "custom" ? cents : null);
  return {
    rates: input.overriddenRates.map((key) => ({
      field: RATE_API_NAMES[key],
      plan: input.planRates[key],
      override: input.rates[key],
    })),
    assets: input.overriddenAssets.map((asset) => ({
      hostname: asset.hostname,
      asset_type: asset.assetType,
      billed_as: asset.billing,
      custom_cents: customOnly(asset.billing, asset.customCents),
    })),
    users: input.overriddenUsers.map((user) => ({
      name: user.name,
      billed_as: user.billing,
      custom_cents: customOnly(user.billing, user.customCents),
    })),
    manual_assets: input.manualAssets.map((asset) => ({
      hostname: asset.hostname,
      billed_as: asset.billing,
      custom_cents: customOnly(asset.billing, asset.customCents),
    })),
    manual_users: input.manualUsers.map((user) => ({
      name: user.name,
      billed_as: user.billing,
      custom_cents: customOnly(user.billing, user.customCents),
    })),
  };
}

export function computeBill(input: BillInput): Bill {
  const lines = new Lines();
  const users = billUsers(input, lines);
  const { counts, backups } = billDevices(input, lines);
  const backup = billBackup(input.rates, backups, lines);
  const tickets = billTime(input, lines);
  billLineItems(input, lines);

  const totals = {
    users_cents: lines.sum("users"),
    assets_cents: lines.sum("assets"),
    backup_cents: lines.sum("backup"),
    tickets_cents: lines.sum("tickets"),
    line_items_cents: lines.sum("line_items"),
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
    rates: Object.fromEntries(Object.entries(RATE_FIELDS).map(([api, key]) => [api, input.rates[key]])),
    counts: {
      users,
      workstations: counts.get("workstation") ?? 0,
      servers: counts.get("server") ?? 0,
      vms: counts.get("vm") ?? 0,
      switches: counts.get("switch") ?? 0,
      firewalls: counts.get("firewall") ?? 0,
      backed_up_workstations: backup.workstations,
      backed_up_servers: backup.servers,
    },
    tickets,
    backup: backup.backup,
    lines: lines.lines,
    totals,
    adjustments: adjustmentsOf(input),
  };
}
