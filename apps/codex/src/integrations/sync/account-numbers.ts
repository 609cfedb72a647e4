import { randomInt } from "node:crypto";
import { freshserviceClient, NotConfiguredError, type IntegrationContext } from "../context.ts";
import { accountNumberOf } from "../freshservice/mapping.ts";
import { readSettings } from "../settings.ts";

export interface AssignedNumber {
  department_id: number;
  name: string;
  account_number: string;
}

/**
 * Gives every Freshservice department without an account number a new, unique six-digit one
 * (unique among Freshservice's and Codex's), written to the department's custom field; the next
 * PSA sync then brings those departments in as companies.
 */
export async function assignAccountNumbers(ctx: IntegrationContext): Promise<AssignedNumber[]> {
  const { settings } = await readSettings(ctx.db, "freshservice");
  if (settings.companiesFrom === "workspaces")
    throw new NotConfiguredError(
      "Companies come from client workspaces here: give each its account number in the Freshservice settings.",
    );
  const fs = await freshserviceClient(ctx);
  const departments = await fs.departments();
  const used = new Set<string>([
    ...departments.map((d) => accountNumberOf(d, settings)).filter((a): a is string => a !== null),
    ...(await ctx.db.db.select({ acct: ctx.db.t.companies.accountNumber }).from(ctx.db.t.companies)).map((c) => c.acct),
  ]);
  const assigned: AssignedNumber[] = [];
  for (const d of departments) {
    if (accountNumberOf(d, settings)) continue;
    let number: string;
    do number = String(randomInt(100_000, 1_000_000));
    while (used.has(number));
    used.add(number);
    await fs.updateDepartmentFields(d.id, { [settings.accountNumberField]: number });
    assigned.push({ department_id: d.id, name: d.name, account_number: number });
    ctx.logger.info("assigned an account number in Freshservice", { department: d.id, account_number: number });
  }
  return assigned;
}
