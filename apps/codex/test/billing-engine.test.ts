import { describe, expect, test } from "bun:test";
import { computeBill, invoiceNumber, mulDivRound, yearlyRemaining } from "../src/billing/engine/compute.ts";
import type { BillInput, Rates } from "../src/billing/engine/types.ts";

/**
 * The billing engine's rules as worked examples: every expected figure is written out by hand
 * (cents, bytes, minutes), never computed from the engine's own constants, so a changed constant
 * or a changed rounding fails here. A TB is 2^40 = 1,099,511,627,776 bytes, as the original
 * (Ledger/Codex: `backup_data_bytes = TB × 2^40`, RMM bytes ÷ 2^40) counted it.
 */

const RATES: Rates = {
  perUserCents: 1500,
  perWorkstationCents: 3000,
  perServerCents: 12000,
  perVmCents: 6000,
  perSwitchCents: 1000,
  perFirewallCents: 2500,
  perHourCents: 12500,
  prepaidMinutesMonthly: 0,
  prepaidMinutesYearly: 0,
  backupBaseWorkstationCents: 2500,
  backupBaseServerCents: 5000,
  backupIncludedTb: 1,
  backupPerTbCents: 1500,
};

const ONE_TB = 1_099_511_627_776;

function input(own: Partial<BillInput> = {}, rates: Partial<Rates> = {}): BillInput {
  return {
    company: { id: 7, accountNumber: "ACME-001", name: "Acme Dental" },
    year: 2026,
    month: 3,
    plan: null,
    rates: { ...RATES, ...rates },
    planRates: RATES,
    overriddenRates: [],
    assetGroups: [],
    overriddenAssets: [],
    paidUsers: 0,
    overriddenUsers: [],
    manualAssets: [],
    manualUsers: [],
    minutesThisMonth: 0,
    minutesEarlierMonths: [],
    lineItems: [],
    ...own,
  };
}

const linesOf = (bill: ReturnType<typeof computeBill>, category: string) =>
  bill.lines
    .filter((line) => line.category === category)
    .map(({ description, quantity, unit_cents, amount_cents }) => [description, quantity, unit_cents, amount_cents]);

describe("ticket time: rounded half up once, on the line's total", () => {
  const time = (minutes: number, perHourCents: number, prepaid = 0) =>
    computeBill(input({ minutesThisMonth: minutes }, { perHourCents, prepaidMinutesMonthly: prepaid }));

  test("one minute", () => {
    // 12,500 ¢/h ÷ 60 = 208.33 ¢
    expect(linesOf(time(1, 12500), "tickets")).toEqual([["Support time beyond prepaid hours", 0.02, 12500, 208]]);
    // 12,510 ¢/h ÷ 60 = 208.5 ¢: half up is 209 (truncated or rounded to even it would be 208)
    expect(linesOf(time(1, 12510), "tickets")).toEqual([["Support time beyond prepaid hours", 0.02, 12510, 209]]);
    // 12,530 ¢/h ÷ 60 = 208.83 ¢
    expect(time(1, 12530).totals.tickets_cents).toBe(209);
    // 30 ¢/h ÷ 60 = 0.5 ¢: half a cent is a cent
    expect(time(1, 30).totals.tickets_cents).toBe(1);
    // 29 ¢/h ÷ 60 = 0.48 ¢: less than half a cent is nothing
    expect(time(1, 29).totals.tickets_cents).toBe(0);
  });

  test("fractional cents on longer times", () => {
    // 90 min × 12,345 ¢/h = 18,517.5 ¢ → 18,518
    expect(linesOf(time(90, 12345), "tickets")).toEqual([["Support time beyond prepaid hours", 1.5, 12345, 18518]]);
    // 7 min × 12,500 ¢/h = 1,458.33 ¢; 7 min = 0.1166… h, shown as 0.12
    expect(linesOf(time(7, 12500), "tickets")).toEqual([["Support time beyond prepaid hours", 0.12, 12500, 1458]]);
    // 59 min × 9,999 ¢/h = 9,832.35 ¢
    expect(time(59, 9999).totals.tickets_cents).toBe(9832);
    // 100 h exactly
    expect(time(6000, 9000).totals.tickets_cents).toBe(900_000);
  });

  test("only the minutes beyond the monthly prepaid time are billed", () => {
    const bill = time(121, 12500, 120);
    expect(bill.tickets).toEqual({
      minutes_logged: 121,
      prepaid_monthly_minutes: 120,
      yearly_prepaid_remaining_minutes: 0,
      billable_minutes: 1,
    });
    expect(bill.totals.tickets_cents).toBe(208);
    const within = time(120, 12500, 120);
    expect(within.tickets.billable_minutes).toBe(0);
    expect(within.lines).toEqual([]);
    expect(time(30, 12500, 120).tickets.billable_minutes).toBe(0);
  });

  test("the yearly pool is drawn down by each earlier month's time beyond the monthly allowance", () => {
    const rates = { prepaidMinutesMonthly: 60, prepaidMinutesYearly: 600, perHourCents: 9000 };
    // January 400 − 60 = 340 from the pool (260 left); February 200 − 60 = 140 (120 left);
    // March 400 − 60 = 340, of which 120 from the pool: 220 min × 90.00/h = 330.00
    const march = computeBill(input({ minutesThisMonth: 400, minutesEarlierMonths: [400, 200] }, rates));
    expect(march.tickets).toEqual({
      minutes_logged: 400,
      prepaid_monthly_minutes: 60,
      yearly_prepaid_remaining_minutes: 120,
      billable_minutes: 220,
    });
    expect(march.totals.tickets_cents).toBe(33000);
    // A month under the monthly allowance leaves the pool alone: 30 min in January, 600 left in February.
    const quiet = computeBill(input({ minutesThisMonth: 100, minutesEarlierMonths: [30] }, rates));
    expect(quiet.tickets.yearly_prepaid_remaining_minutes).toBe(600);
    expect(quiet.tickets.billable_minutes).toBe(0);
    // An exhausted pool stays at zero (never negative): 100 − 60 = 40 min billed = 60.00
    const spent = computeBill(input({ minutesThisMonth: 100, minutesEarlierMonths: [1000, 500] }, rates));
    expect(spent.tickets.yearly_prepaid_remaining_minutes).toBe(0);
    expect(spent.totals.tickets_cents).toBe(6000);
    // The pool covers this month in part: 600 left, 700 − 60 = 640 beyond the month, 40 billed.
    expect(computeBill(input({ minutesThisMonth: 700 }, rates)).tickets.billable_minutes).toBe(40);
  });

  test("yearlyRemaining takes each month's excess over the monthly allowance, floored at zero", () => {
    const rates = { ...RATES, prepaidMinutesMonthly: 60, prepaidMinutesYearly: 600 };
    expect(yearlyRemaining(rates, [])).toBe(600);
    expect(yearlyRemaining(rates, [60])).toBe(600);
    expect(yearlyRemaining(rates, [61])).toBe(599);
    expect(yearlyRemaining(rates, [0, 360, 10])).toBe(300);
    expect(yearlyRemaining(rates, [700, 100])).toBe(0);
  });

  test("mulDivRound: half up on exact integers, also past 2^53", () => {
    expect(mulDivRound(1, 12500, 60)).toBe(208);
    expect(mulDivRound(1, 12510, 60)).toBe(209);
    expect(mulDivRound(1, 150, 100)).toBe(2);
    expect(mulDivRound(1, 149, 100)).toBe(1);
    expect(mulDivRound(0, 12500, 60)).toBe(0);
    expect(mulDivRound(549_755_813_888, 1500, ONE_TB)).toBe(750);
    // 2^52 × 99,999 overflows a double's integers; the exact answer is 409,595,904 (no rounding drift)
    expect(mulDivRound(4_503_599_627_370_496, 99_999, ONE_TB)).toBe(409_595_904);
  });
});

describe("backup: base fees, then storage beyond the included TB (1 TB = 1,099,511,627,776 bytes)", () => {
  const server = (bytes: number, count = 1) => ({ type: "server" as const, backedUp: true, count, backupBytes: bytes });

  test("half a TB beyond the included one", () => {
    const bill = computeBill(input({ assetGroups: [server(1_649_267_441_664)] }));
    expect(bill.backup).toEqual({
      total_bytes: 1_649_267_441_664,
      included_bytes: 1_099_511_627_776,
      overage_bytes: 549_755_813_888,
      overage_tb: 0.5,
    });
    expect(linesOf(bill, "backup")).toEqual([
      ["Backup base fee, servers", 1, 5000, 5000],
      ["Backup storage beyond the included TB", 0.5, 1500, 750],
    ]);
  });

  test("a decimal TB (10^12 bytes) is 0.91 binary TB", () => {
    const bill = computeBill(input({ assetGroups: [server(1_000_000_000_000)] }, { backupIncludedTb: 0 }));
    // 10^12 × 1,500 ÷ 1,099,511,627,776 = 1,364.24 ¢
    expect(linesOf(bill, "backup")).toEqual([
      ["Backup base fee, servers", 1, 5000, 5000],
      ["Backup storage beyond the included TB", 0.91, 1500, 1364],
    ]);
    expect(bill.backup.included_bytes).toBe(0);
  });

  test("storage beyond the included TB too small to show in hundredths of a TB is billed all the same", () => {
    // 4,398,046,511 bytes = 0.0039999… TB, shown as 0; at 1,500.00 a TB it costs 6.00
    const bill = computeBill(input({ assetGroups: [server(1_103_909_674_287)] }, { backupPerTbCents: 150_000 }));
    expect(linesOf(bill, "backup")).toEqual([
      ["Backup base fee, servers", 1, 5000, 5000],
      ["Backup storage beyond the included TB", 0, 150_000, 600],
    ]);
  });

  test("exactly the included TB, or one byte beyond it, costs nothing beyond the base fee", () => {
    const exactly = computeBill(input({ assetGroups: [server(1_099_511_627_776)] }));
    expect(exactly.backup.overage_bytes).toBe(0);
    expect(exactly.totals.backup_cents).toBe(5000);
    const oneByte = computeBill(input({ assetGroups: [server(1_099_511_627_777)] }));
    expect(oneByte.backup.overage_bytes).toBe(1);
    expect(oneByte.totals.backup_cents).toBe(5000);
    expect(linesOf(oneByte, "backup")).toEqual([["Backup base fee, servers", 1, 5000, 5000]]);
  });

  test("each backed-up workstation, server and VM brings its included TB; VMs pay the server fee", () => {
    const bill = computeBill(
      input(
        {
          assetGroups: [
            { type: "workstation", backedUp: true, count: 2, backupBytes: 1_000 },
            { type: "workstation", backedUp: false, count: 5, backupBytes: 0 },
            { type: "vm", backedUp: true, count: 1, backupBytes: 7_696_581_394_432 },
          ],
        },
        { backupIncludedTb: 2 },
      ),
    );
    // 3 devices × 2 TB = 6,597,069,766,656 bytes included; 7 TB + 1,000 bytes stored
    expect(bill.backup).toEqual({
      total_bytes: 7_696_581_395_432,
      included_bytes: 6_597_069_766_656,
      overage_bytes: 1_099_511_628_776,
      overage_tb: 1,
    });
    expect(linesOf(bill, "backup")).toEqual([
      ["Backup base fee, workstations", 2, 2500, 5000],
      ["Backup base fee, servers", 1, 5000, 5000],
      ["Backup storage beyond the included TB", 1, 1500, 1500],
    ]);
    expect(bill.counts).toMatchObject({ workstations: 7, vms: 1, backed_up_workstations: 2, backed_up_servers: 1 });
  });

  test("a backed-up switch or firewall pays no base fee and brings no included TB", () => {
    const bill = computeBill(
      input({
        assetGroups: [
          { type: "firewall", backedUp: true, count: 1, backupBytes: 549_755_813_888 },
          { type: "switch", backedUp: true, count: 1, backupBytes: 0 },
        ],
      }),
    );
    expect(bill.counts).toMatchObject({ backed_up_workstations: 0, backed_up_servers: 0 });
    expect(linesOf(bill, "backup")).toEqual([["Backup storage beyond the included TB", 0.5, 1500, 750]]);
  });

  test("an overridden device's backup counts as what it is billed as, or as what it is when not billed by type", () => {
    const asset = (assetId: number, assetType: "workstation" | "server", billing: string) => ({
      assetId,
      hostname: `HOST-${assetId}`,
      assetType,
      billing: billing as "server",
      customCents: billing === "custom" ? 4200 : null,
      backedUp: true,
      backupBytes: 0,
    });
    const bill = computeBill(
      input({
        overriddenAssets: [
          asset(1, "workstation", "server"),
          asset(2, "server", "no_charge"),
          asset(3, "server", "custom"),
          asset(4, "server", "workstation"),
        ],
      }),
    );
    expect(bill.counts).toMatchObject({ servers: 1, workstations: 1, backed_up_servers: 3, backed_up_workstations: 1 });
    expect(linesOf(bill, "backup")).toEqual([
      ["Backup base fee, workstations", 1, 2500, 2500],
      ["Backup base fee, servers", 3, 5000, 15000],
    ]);
  });
});

describe("devices and users", () => {
  test("each device type at its own rate; other devices free", () => {
    const group = (type: "workstation" | "server" | "vm" | "switch" | "firewall" | "other", count: number) => ({
      type,
      backedUp: false,
      count,
      backupBytes: 0,
    });
    const bill = computeBill(
      input({
        assetGroups: [
          group("workstation", 2),
          group("server", 1),
          group("vm", 3),
          group("switch", 1),
          group("firewall", 2),
          group("other", 4),
          group("workstation", 1),
        ],
      }),
    );
    expect(linesOf(bill, "assets")).toEqual([
      ["Workstations", 3, 3000, 9000],
      ["Servers", 1, 12000, 12000],
      ["Virtual machines", 3, 6000, 18000],
      ["Switches", 1, 1000, 1000],
      ["Firewalls", 2, 2500, 5000],
    ]);
    expect(bill.counts).toEqual({
      users: 0,
      workstations: 3,
      servers: 1,
      vms: 3,
      switches: 1,
      firewalls: 2,
      backed_up_workstations: 0,
      backed_up_servers: 0,
    });
    expect(bill.totals.assets_cents).toBe(45000);
  });

  test("overrides and devices added by hand: another type, no charge, a custom price", () => {
    const overridden = (assetId: number, billing: string, customCents: number | null = null) => ({
      assetId,
      hostname: `ACME-${assetId}`,
      assetType: "workstation" as const,
      billing: billing as "custom",
      customCents,
      backedUp: false,
      backupBytes: 0,
    });
    const bill = computeBill(
      input({
        assetGroups: [{ type: "workstation", backedUp: false, count: 1, backupBytes: 0 }],
        overriddenAssets: [overridden(1, "firewall"), overridden(2, "no_charge"), overridden(3, "custom", 4200)],
        manualAssets: [
          { id: 1, hostname: "HAND-1", billing: "workstation", customCents: null },
          { id: 2, hostname: "HAND-2", billing: "no_charge", customCents: null },
          { id: 3, hostname: "HAND-3", billing: "custom", customCents: 999 },
        ],
      }),
    );
    expect(linesOf(bill, "assets")).toEqual([
      ["Workstations", 2, 3000, 6000],
      ["Firewalls", 1, 2500, 2500],
      ["ACME-3 (custom price)", 1, 4200, 4200],
      ["HAND-3 (custom price)", 1, 999, 999],
      ["Devices at no charge", 2, 0, 0],
    ]);
    expect(bill.counts).toMatchObject({ workstations: 2, firewalls: 1 });
    expect(bill.totals.assets_cents).toBe(13699);
    // Nothing here is backed up: devices added by hand never are.
    expect(linesOf(bill, "backup")).toEqual([]);
    expect(bill.counts).toMatchObject({ backed_up_workstations: 0, backed_up_servers: 0 });
  });

  test("users: paid, free and custom, synced or added by hand", () => {
    const bill = computeBill(
      input({
        paidUsers: 3,
        overriddenUsers: [
          { contactId: 1, name: "Fay", billing: "free", customCents: null },
          { contactId: 2, name: "Eve", billing: "custom", customCents: 800 },
          { contactId: 3, name: "Pat", billing: "paid", customCents: null },
        ],
        manualUsers: [
          { id: 1, name: "Temp", billing: "free", customCents: null },
          { id: 2, name: "Max", billing: "custom", customCents: null },
          { id: 3, name: "Sue", billing: "paid", customCents: null },
        ],
      }),
    );
    expect(linesOf(bill, "users")).toEqual([
      ["Users", 5, 1500, 7500],
      ["Eve (custom price)", 1, 800, 800],
      ["Max (custom price)", 1, 0, 0],
      ["Users at no charge", 2, 0, 0],
    ]);
    expect(bill.counts.users).toBe(9);
    expect(bill.totals.users_cents).toBe(8300);
  });

  test("nothing to bill: no lines and zero totals", () => {
    const bill = computeBill(input());
    expect(bill.lines).toEqual([]);
    expect(bill.totals).toEqual({
      users_cents: 0,
      assets_cents: 0,
      backup_cents: 0,
      tickets_cents: 0,
      line_items_cents: 0,
      total_cents: 0,
    });
    expect(bill.backup).toEqual({ total_bytes: 0, included_bytes: 0, overage_bytes: 0, overage_tb: 0 });
  });
});

describe("line items: each only in the months it is due", () => {
  const items = [
    {
      id: 1,
      name: "Monitoring",
      description: null,
      kind: "monthly" as const,
      amountCents: 5000,
      year: null,
      month: null,
    },
    {
      id: 2,
      name: "Onboarding",
      description: "new office",
      kind: "one_off" as const,
      amountCents: 25000,
      year: 2026,
      month: 3,
    },
    { id: 3, name: "Domain", description: null, kind: "yearly" as const, amountCents: 12000, year: null, month: 3 },
    { id: 4, name: "Credit", description: null, kind: "one_off" as const, amountCents: -500, year: 2026, month: 4 },
  ];
  const due = (year: number, month: number) =>
    linesOf(computeBill(input({ year, month, lineItems: items })), "line_items").map(([description]) => description);

  test("a one-off in its month only: never a year earlier or later, nor the next month", () => {
    expect(due(2026, 3)).toEqual(["Monitoring", "Onboarding: new office", "Domain"]);
    expect(due(2027, 3)).toEqual(["Monitoring", "Domain"]);
    expect(due(2025, 3)).toEqual(["Monitoring", "Domain"]);
    expect(due(2026, 4)).toEqual(["Monitoring", "Credit"]);
    expect(due(2026, 2)).toEqual(["Monitoring"]);
  });

  test("amounts: one of each, credits negative", () => {
    const bill = computeBill(input({ year: 2026, month: 4, lineItems: items }));
    expect(linesOf(bill, "line_items")).toEqual([
      ["Monitoring", 1, 5000, 5000],
      ["Credit", 1, -500, -500],
    ]);
    expect(bill.totals.line_items_cents).toBe(4500);
    expect(bill.totals.total_cents).toBe(4500);
  });
});

describe("the bill's identity, rates and totals", () => {
  test("invoice number ACCT-YYYYMM and period YYYY-MM", () => {
    expect(invoiceNumber("ACME-001", 2026, 3)).toBe("ACME-001-202603");
    expect(invoiceNumber("B-2", 2024, 12)).toBe("B-2-202412");
    const bill = computeBill(input({ year: 2024, month: 2 }));
    expect([bill.invoice_number, bill.period, bill.year, bill.month]).toEqual(["ACME-001-202402", "2024-02", 2024, 2]);
    expect([bill.account_number, bill.company_name]).toEqual(["ACME-001", "Acme Dental"]);
  });

  test("the plan, the rates in force by their API names, and every total", () => {
    const bill = computeBill(
      input(
        {
          plan: { name: "Gold", term: "1_year", supportLevel: "business_hours" },
          paidUsers: 2,
          assetGroups: [{ type: "server", backedUp: true, count: 1, backupBytes: 2_199_023_255_552 }],
          minutesThisMonth: 150,
          lineItems: [
            { id: 1, name: "Fee", description: null, kind: "monthly", amountCents: 100, year: null, month: null },
          ],
        },
        { prepaidMinutesMonthly: 120 },
      ),
    );
    expect(bill.plan).toEqual({ name: "Gold", term: "1_year", support_level: "business_hours" });
    expect(bill.rates).toEqual({
      per_user_cents: 1500,
      per_workstation_cents: 3000,
      per_server_cents: 12000,
      per_vm_cents: 6000,
      per_switch_cents: 1000,
      per_firewall_cents: 2500,
      per_hour_cents: 12500,
      prepaid_minutes_monthly: 120,
      prepaid_minutes_yearly: 0,
      backup_base_workstation_cents: 2500,
      backup_base_server_cents: 5000,
      backup_included_tb: 1,
      backup_per_tb_cents: 1500,
    });
    // users 2 × 15.00; server 120.00; backup 50.00 + 1 TB × 15.00; 30 min × 125.00/h = 62.50; fee 1.00
    expect(bill.totals).toEqual({
      users_cents: 3000,
      assets_cents: 12000,
      backup_cents: 6500,
      tickets_cents: 6250,
      line_items_cents: 100,
      total_cents: 27850,
    });
  });

  test("what the company is billed differently from its plan", () => {
    const bill = computeBill(
      input(
        {
          overriddenRates: ["perUserCents", "backupPerTbCents"],
          overriddenAssets: [
            {
              assetId: 1,
              hostname: "ACME-WS-01",
              assetType: "workstation",
              billing: "custom",
              customCents: 4200,
              backedUp: false,
              backupBytes: 0,
            },
            {
              assetId: 2,
              hostname: "ACME-SRV-01",
              assetType: "server",
              billing: "workstation",
              customCents: 10,
              backedUp: false,
              backupBytes: 0,
            },
          ],
          overriddenUsers: [
            { contactId: 1, name: "Eve", billing: "custom", customCents: 800 },
            { contactId: 2, name: "Fay", billing: "free", customCents: 5 },
          ],
          manualAssets: [{ id: 1, hostname: "HAND-1", billing: "custom", customCents: 999 }],
          manualUsers: [{ id: 1, name: "Temp", billing: "paid", customCents: 7 }],
        },
        { perUserCents: 1200, backupPerTbCents: 2000 },
      ),
    );
    expect(bill.adjustments).toEqual({
      rates: [
        { field: "per_user_cents", plan: 1500, override: 1200 },
        { field: "backup_per_tb_cents", plan: 1500, override: 2000 },
      ],
      assets: [
        { hostname: "ACME-WS-01", asset_type: "workstation", billed_as: "custom", custom_cents: 4200 },
        { hostname: "ACME-SRV-01", asset_type: "server", billed_as: "workstation", custom_cents: null },
      ],
      users: [
        { name: "Eve", billed_as: "custom", custom_cents: 800 },
        { name: "Fay", billed_as: "free", custom_cents: null },
      ],
      manual_assets: [{ hostname: "HAND-1", billed_as: "custom", custom_cents: 999 }],
      manual_users: [{ name: "Temp", billed_as: "paid", custom_cents: null }],
    });
  });
});
