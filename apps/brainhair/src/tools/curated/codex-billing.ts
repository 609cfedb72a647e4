import { z } from "zod";
import { call, oneCall, op, tool } from "../define.ts";
import { acct } from "./fields.ts";

const cents = z.number().int().min(0).max(100_000_000);
const month = { year: z.number().int().min(2000).max(2100), month: z.number().int().min(1).max(12) };
const RATES = z
  .object({
    per_user_cents: cents.nullable().optional(),
    per_workstation_cents: cents.nullable().optional(),
    per_server_cents: cents.nullable().optional(),
    per_vm_cents: cents.nullable().optional(),
    per_switch_cents: cents.nullable().optional(),
    per_firewall_cents: cents.nullable().optional(),
    per_hour_cents: cents.nullable().optional(),
  })
  .strict()
  .describe("Rates in cents; null returns a rate to the plan's");
const LINE_ITEM = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(["monthly", "one_off", "yearly"]),
    amount_cents: z.number().int().min(-100_000_000).max(100_000_000),
    description: z.string().max(1000).optional(),
  })
  .strict();

const overrides = op("codex PUT /api/companies/{acct}/billing-overrides");
const lineItems = op("codex POST /api/companies/{acct}/line-items");
const manualList = op("codex GET /api/companies/{acct}/manual-assets");
const manualAdd = op("codex POST /api/companies/{acct}/manual-assets");
const manualRemove = op("codex DELETE /api/companies/{acct}/manual-assets/{item_id}");

export const codexBillingTools = [
  oneCall({
    name: "get_billing",
    description: "A company's bill for a month (this month when none is given): quantities, rates, line items, total.",
    input: z.object({ acct, year: month.year.optional(), month: month.month.optional() }).strict(),
    operation: "codex GET /api/billing/{acct}",
    map: (i) => ({ params: { acct: i.acct }, query: { year: i.year, month: i.month } }),
  }),
  oneCall({
    name: "list_billing_plans",
    description: "The billing plans with their terms, rates and features.",
    input: z.object({}).strict(),
    operation: "codex GET /api/billing-plans",
    map: () => ({}),
  }),
  oneCall({
    name: "set_company_plan",
    description: "Put a company on a billing plan and contract term (waits for approval).",
    input: z
      .object({
        acct,
        plan: z.string().min(1).max(100),
        term: z.enum(["month_to_month", "1_year", "2_year", "3_year"]),
      })
      .strict(),
    operation: "codex PUT /api/companies/{acct}",
    map: (i) => ({ params: { acct: i.acct }, body: { billing_plan: i.plan, contract_term: i.term } }),
  }),
  tool({
    name: "update_billing",
    description:
      "Change a company's billing: its rate overrides (`rates`), or add a charge (`line_item`); one of the two (waits for approval).",
    input: z
      .object({ acct, rates: RATES.optional(), line_item: LINE_ITEM.optional() })
      .strict()
      .refine((i) => (i.rates === undefined) !== (i.line_item === undefined), "give either rates or line_item"),
    operations: { rates: overrides, lineItem: lineItems },
    plan: (i) =>
      i.rates
        ? call(overrides, { params: { acct: i.acct }, body: i.rates })
        : call(lineItems, { params: { acct: i.acct }, body: i.line_item }),
  }),
  oneCall({
    name: "update_features",
    description:
      "Override a company's features: { category key: option value, or null to use the plan's } (waits for approval).",
    input: z.object({ acct, features: z.record(z.string().min(1).max(100), z.string().max(100).nullable()) }).strict(),
    operation: "codex PUT /api/companies/{acct}/features",
    map: (i) => ({ params: { acct: i.acct }, body: i.features }),
  }),
  tool({
    name: "manage_network_equipment",
    description:
      "A company's manual devices (switches, firewalls… billed without being in Codex's asset list): list them, " +
      "add one, or remove one by its id. Adding and removing wait for approval.",
    input: z
      .object({
        acct,
        action: z.enum(["list", "add", "remove"]),
        hostname: z.string().min(1).max(200).optional(),
        billing_type: z.enum(["workstation", "server", "vm", "switch", "firewall", "no_charge", "custom"]).optional(),
        notes: z.string().max(1000).optional(),
        item_id: z.number().int().positive().optional(),
      })
      .strict()
      .refine((i) => i.action !== "add" || (i.hostname && i.billing_type), "add needs hostname and billing_type")
      .refine((i) => i.action !== "remove" || i.item_id !== undefined, "remove needs item_id"),
    operations: { list: manualList, add: manualAdd, remove: manualRemove },
    plan: (i) => {
      if (i.action === "list") return call(manualList, { params: { acct: i.acct } });
      if (i.action === "remove") return call(manualRemove, { params: { acct: i.acct, item_id: i.item_id! } });
      return call(manualAdd, {
        params: { acct: i.acct },
        body: { hostname: i.hostname, billing_type: i.billing_type, ...(i.notes ? { notes: i.notes } : {}) },
      });
    },
  }),
  oneCall({
    name: "accept_bill",
    description: "Accept a company's bill for a month: it is frozen as an invoice (waits for approval).",
    input: z.object({ acct, ...month, notes: z.string().max(2000).optional() }).strict(),
    operation: "codex POST /api/billing/{acct}/accept",
    map: (i) => ({ params: { acct: i.acct }, body: { year: i.year, month: i.month, notes: i.notes } }),
  }),
];
