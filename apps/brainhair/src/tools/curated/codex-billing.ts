import { z } from "zod";
import { call, oneCall, op, tool } from "../define.ts";
import { acct, recordId } from "./fields.ts";

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
    map: (input) => ({ params: { acct: input.acct }, query: { year: input.year, month: input.month } }),
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
    map: (input) => ({ params: { acct: input.acct }, body: { billing_plan: input.plan, contract_term: input.term } }),
  }),
  tool({
    name: "update_billing",
    description:
      "Change a company's billing: its rate overrides (`rates`), or add a charge (`line_item`); " +
      "one of the two (waits for approval).",
    input: z
      .object({ acct, rates: RATES.optional(), line_item: LINE_ITEM.optional() })
      .strict()
      .refine(
        (input) => (input.rates === undefined) !== (input.line_item === undefined),
        "give either rates or line_item",
      ),
    operations: { rates: overrides, lineItem: lineItems },
    plan: (input) =>
      input.rates
        ? call(overrides, { params: { acct: input.acct }, body: input.rates })
        : call(lineItems, { params: { acct: input.acct }, body: input.line_item }),
  }),
  oneCall({
    name: "update_features",
    description:
      "Override a company's features: { category key: option value, or null to use the plan's } (waits for approval).",
    input: z.object({ acct, features: z.record(z.string().min(1).max(100), z.string().max(100).nullable()) }).strict(),
    operation: "codex PUT /api/companies/{acct}/features",
    map: (input) => ({ params: { acct: input.acct }, body: input.features }),
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
        item_id: recordId.optional(),
      })
      .strict()
      .refine(
        (input) => input.action !== "add" || (input.hostname && input.billing_type),
        "add needs hostname and billing_type",
      )
      .refine((input) => input.action !== "remove" || input.item_id !== undefined, "remove needs item_id"),
    operations: { list: manualList, add: manualAdd, remove: manualRemove },
    plan: (input) => {
      if (input.action === "list") return call(manualList, { params: { acct: input.acct } });
      if (input.action === "remove")
        return call(manualRemove, { params: { acct: input.acct, item_id: input.item_id! } });
      return call(manualAdd, {
        params: { acct: input.acct },
        body: {
          hostname: input.hostname,
          billing_type: input.billing_type,
          ...(input.notes ? { notes: input.notes } : {}),
        },
      });
    },
  }),
  oneCall({
    name: "accept_bill",
    description: "Accept a company's bill for a month: it is frozen as an invoice (waits for approval).",
    input: z.object({ acct, ...month, notes: z.string().max(2000).optional() }).strict(),
    operation: "codex POST /api/billing/{acct}/accept",
    map: (input) => ({
      params: { acct: input.acct },
      body: { year: input.year, month: input.month, notes: input.notes },
    }),
  }),
];
