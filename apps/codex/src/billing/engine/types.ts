import { z } from "zod";

/** What the billing engine (compute.ts) takes and gives: rates, a company's month of records, and its bill. */

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

export const LINE_CATEGORIES = ["users", "assets", "backup", "tickets", "line_items"] as const;
export type LineCategory = (typeof LINE_CATEGORIES)[number];

const int = z.number().int();
const money = int.meta({ description: "Integer cents" });
const otherBilling = z.object({ billed_as: z.string(), custom_cents: money.nullable() });

/** What this company is billed differently from its plan and its Codex records (staff only). */
const adjustmentsSchema = z.object({
  rates: z.array(z.object({ field: z.string(), plan: int, override: int })),
  assets: z.array(otherBilling.extend({ hostname: z.string(), asset_type: z.string() })),
  users: z.array(otherBilling.extend({ name: z.string() })),
  manual_assets: z.array(otherBilling.extend({ hostname: z.string() })),
  manual_users: z.array(otherBilling.extend({ name: z.string() })),
});
export type BillAdjustments = z.infer<typeof adjustmentsSchema>;

const lineSchema = z.object({
  category: z.enum(LINE_CATEGORIES),
  description: z.string(),
  quantity: z.number().meta({ description: "Units; hours and TB with two decimals" }),
  unit_cents: money,
  amount_cents: money,
});
export type BillLine = z.infer<typeof lineSchema>;

/** A company's bill for a month, as the engine computes it (and an accepted bill's snapshot keeps it). */
export const computedBillSchema = z.object({
  account_number: z.string(),
  company_name: z.string(),
  year: int,
  month: int,
  period: z.string().meta({ description: "YYYY-MM" }),
  invoice_number: z.string().meta({ description: "ACCT-YYYYMM" }),
  plan: z.object({ name: z.string(), term: z.string(), support_level: z.string() }).nullable(),
  rates: z
    .record(z.string(), int)
    .meta({ description: "The rates in force: the plan's, with the company's overrides" }),
  counts: z.object({
    users: int,
    workstations: int,
    servers: int,
    vms: int,
    switches: int,
    firewalls: int,
    backed_up_workstations: int,
    backed_up_servers: int,
  }),
  tickets: z.object({
    minutes_logged: int,
    prepaid_monthly_minutes: int,
    yearly_prepaid_remaining_minutes: int,
    billable_minutes: int,
  }),
  backup: z.object({ total_bytes: int, included_bytes: int, overage_bytes: int, overage_tb: z.number() }),
  lines: z.array(lineSchema),
  totals: z.object({
    users_cents: money,
    assets_cents: money,
    backup_cents: money,
    tickets_cents: money,
    line_items_cents: money,
    total_cents: money,
  }),
  /** Absent in snapshots accepted before it existed, and for client users. */
  adjustments: adjustmentsSchema.optional(),
});
export type Bill = z.infer<typeof computedBillSchema>;

/**
 * The rates as the API names them (a plan's fields, and a company's overrides of them) → the
 * engine's names, which are also the plan table's columns.
 */
export const RATE_FIELDS = {
  per_user_cents: "perUserCents",
  per_workstation_cents: "perWorkstationCents",
  per_server_cents: "perServerCents",
  per_vm_cents: "perVmCents",
  per_switch_cents: "perSwitchCents",
  per_firewall_cents: "perFirewallCents",
  per_hour_cents: "perHourCents",
  prepaid_minutes_monthly: "prepaidMinutesMonthly",
  prepaid_minutes_yearly: "prepaidMinutesYearly",
  backup_base_workstation_cents: "backupBaseWorkstationCents",
  backup_base_server_cents: "backupBaseServerCents",
  backup_included_tb: "backupIncludedTb",
  backup_per_tb_cents: "backupPerTbCents",
} as const satisfies Record<string, keyof Rates>;
export type RateField = keyof typeof RATE_FIELDS;
