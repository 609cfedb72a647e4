import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { conflict, notFound, validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import { COMPLIANCE_LEVELS, CONTRACT_TERMS, type BillingPlan, type Company } from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "../shared/data-bulk.ts";
import { accountNumberSchema, externalCheck, externalFields, optDate, optText } from "../shared/input.ts";
import { changedFields, dropUndefined, selectIn, existingByExternal } from "../shared/data-common.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import type { BulkResult } from "../shared/data-bulk.ts";

const fields = {
  name: z.string().trim().min(1, "Required.").max(200),
  description: optText(2000),
  domain: optText(253),
  domains: z.array(z.string().trim().min(1).max(253)).max(50).optional(),
  billing_plan: optText(100),
  contract_term: z.preprocess((v) => (v === "" ? null : v), z.enum(CONTRACT_TERMS).nullable()).optional(),
  contract_start: optDate(),
  contract_end: optDate(),
  compliance_level: z.enum(COMPLIANCE_LEVELS).optional(),
  phone: optText(50),
  address: optText(500),
  notes: optText(5000),
  email_system: optText(100),
  phone_system: optText(100),
  head_name: optText(200),
  prime_user_name: optText(200),
  rmm_portal_url: optText(500),
  ...externalFields,
};

export const companyCreateSchema = z
  .object({ account_number: accountNumberSchema, ...fields })
  .strict()
  .superRefine(externalCheck);
export const companyUpdateSchema = z.object(fields).partial().strict().superRefine(externalCheck);
/** A bulk row: matched by external id, then account number; created when neither matches. */
export const companyBulkRowSchema = companyCreateSchema;

export type CompanyCreate = z.infer<typeof companyCreateSchema>;
export type CompanyUpdate = z.infer<typeof companyUpdateSchema>;

type Plans = Map<number, BillingPlan>;

export async function loadPlans(h: CodexDb): Promise<Plans> {
  const rows = await h.db.select().from(h.t.billingPlans);
  return new Map(rows.map((p) => [p.id, p]));
}

export function companyJson(c: Company, plans: Plans) {
  const plan = c.billingPlanId ? plans.get(c.billingPlanId) : undefined;
  return {
    id: c.id,
    account_number: c.accountNumber,
    name: c.name,
    description: c.description,
    domain: c.domain,
    domains: c.domains,
    billing_plan: plan?.name ?? null,
    billing_plan_id: c.billingPlanId,
    contract_term: c.contractTerm,
    support_level: plan?.supportLevel ?? null,
    contract_start: c.contractStart,
    contract_end: c.contractEnd,
    compliance_level: c.complianceLevel,
    phone: c.phone,
    address: c.address,
    notes: c.notes,
    email_system: c.emailSystem,
    phone_system: c.phoneSystem,
    head_name: c.headName,
    prime_user_name: c.primeUserName,
    rmm_portal_url: c.rmmPortalUrl,
    /** When a complete PSA sync stopped finding this company (null: current). */
    stale_since: c.staleSince?.toISOString() ?? null,
    external_id: c.externalId,
    external_source: c.externalSource,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
export type CompanyJson = ReturnType<typeof companyJson>;

/** Finds the plan a company's name + term point at; an error message when there is none. */
function planFor(
  plans: Plans,
  name: string | null | undefined,
  term: string | null | undefined,
): { id: number | null } | { error: { field: string; message: string } } {
  if (!name) return { id: null };
  if (!term) return { error: { field: "contract_term", message: "Choose the contract term of the billing plan." } };
  for (const p of plans.values()) if (p.name === name && p.term === term) return { id: p.id };
  return {
    error: {
      field: "billing_plan",
      message: `There is no billing plan "${name}" with the ${term.replace(/_/g, " ")} term.`,
    },
  };
}

/** Input fields → columns; undefined stays undefined so a partial update changes only what was sent. */
function toColumns(i: Partial<CompanyCreate>) {
  return dropUndefined({
    accountNumber: i.account_number,
    name: i.name,
    description: i.description,
    domain: i.domain,
    domains: i.domains,
    contractTerm: i.contract_term,
    contractStart: i.contract_start,
    contractEnd: i.contract_end,
    complianceLevel: i.compliance_level,
    phone: i.phone,
    address: i.address,
    notes: i.notes,
    emailSystem: i.email_system,
    phoneSystem: i.phone_system,
    headName: i.head_name,
    primeUserName: i.prime_user_name,
    rmmPortalUrl: i.rmm_portal_url,
    externalId: i.external_id,
    externalSource: i.external_source,
  });
}

export async function companyByAccount(h: CodexDb, accountNumber: string): Promise<Company | null> {
  const [row] = await h.db.select().from(h.t.companies).where(eq(h.t.companies.accountNumber, accountNumber));
  return row ?? null;
}

export async function requireCompany(h: CodexDb, accountNumber: string): Promise<Company> {
  const c = await companyByAccount(h, accountNumber);
  if (!c) throw notFound(`No company with account number ${accountNumber}.`);
  return c;
}

export async function createCompany(h: CodexDb, input: unknown, actor: Actor): Promise<Company> {
  const id = await runOne(h, actor, await companySpec(h, { createOnly: true }), input);
  const [row] = await h.db.select().from(h.t.companies).where(eq(h.t.companies.id, id));
  return row!;
}

export async function updateCompany(
  h: CodexDb,
  company: Company,
  input: CompanyUpdate,
  actor: Actor,
): Promise<Company> {
  const plans = await loadPlans(h);
  return transaction(h, async (tx) => {
    // The plan is looked up from the company as stored now, not as the caller last read it.
    const [current] = await forUpdate(h, tx.select().from(h.t.companies).where(eq(h.t.companies.id, company.id)));
    if (!current) throw notFound(`No company with account number ${company.accountNumber}.`);
    const cols: Partial<Company> = toColumns(input);
    if (input.billing_plan !== undefined || input.contract_term !== undefined) {
      const plan = current.billingPlanId ? plans.get(current.billingPlanId) : undefined;
      const name = input.billing_plan !== undefined ? input.billing_plan : plan?.name;
      const term = input.contract_term !== undefined ? input.contract_term : current.contractTerm;
      const chosen = planFor(plans, name, term);
      if ("error" in chosen) throw validationFailed([chosen.error]);
      cols.billingPlanId = chosen.id;
    }
    if (cols.externalId && cols.externalSource) {
      const [other] = await tx
        .select({ id: h.t.companies.id })
        .from(h.t.companies)
        .where(
          and(eq(h.t.companies.externalSource, cols.externalSource), eq(h.t.companies.externalId, cols.externalId)),
        );
      if (other && other.id !== company.id)
        throw conflict("Another company has this external id.", [
          { field: "external_id", message: "Already used by another company." },
        ]);
    }
    const changes = changedFields(current, cols);
    if (Object.keys(changes).length === 0) return current;
    const [after] = await tx
      .update(h.t.companies)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(h.t.companies.id, company.id))
      .returning();
    await writeAudit(tx, h, actor, [
      { action: "update", entity: "company", entityId: company.id, companyId: company.id, before: current, after },
    ]);
    return after!;
  });
}

export async function deleteCompany(h: CodexDb, company: Company, actor: Actor): Promise<void> {
  const [bill] = await h.db
    .select({ id: h.t.acceptedBills.id })
    .from(h.t.acceptedBills)
    .where(eq(h.t.acceptedBills.companyId, company.id))
    .limit(1);
  if (bill) throw conflict("This company has accepted bills, which are kept for the records; it cannot be deleted.");
  await transaction(h, async (tx) => {
    await tx.delete(h.t.companies).where(eq(h.t.companies.id, company.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: "company", entityId: company.id, companyId: company.id, before: company },
    ]);
  });
}

async function companySpec(h: CodexDb, o: { createOnly?: boolean } = {}): Promise<BulkSpec<Company, CompanyCreate>> {
  const plans = await loadPlans(h);
  const byAccount = new Map<string, Company>();
  const byExternal = new Map<string, Company>();
  const seen = new Map<string, number>();
  return {
    entity: "company",
    table: h.t.companies,
    tableName: "companies",
    schema: companyBulkRowSchema,
    async load(rows) {
      const accounts = rows.map((p) => p.account_number);
      for (const c of await selectIn(accounts, (part) =>
        h.db
          .select()
          .from(h.t.companies)
          .where(inArray(h.t.companies.accountNumber, part as string[])),
      ))
        byAccount.set(c.accountNumber, c);
      for (const [k, v] of await existingByExternal<Company>(h, h.t.companies, rows)) byExternal.set(k, v);
    },
    resolve(p, i) {
      const cols: Partial<Company> = toColumns(p);
      const pl = planFor(plans, p.billing_plan, p.contract_term);
      if ("error" in pl) return pl;
      if (p.billing_plan !== undefined) cols.billingPlanId = pl.id;
      const dup = seen.get(p.account_number);
      if (dup !== undefined)
        return { error: { field: "account_number", message: `Repeats row ${dup + 1}'s account number.` } };
      seen.set(p.account_number, i);
      const ext = p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined;
      const sameAccount = byAccount.get(p.account_number);
      const existing = ext ?? sameAccount;
      if (existing && o.createOnly)
        return {
          error: {
            field: "account_number",
            message: `Account number ${p.account_number} is already used by ${existing.name}.`,
          },
        };
      if (ext && sameAccount && sameAccount.id !== ext.id)
        return {
          error: {
            field: "account_number",
            message: `Account number ${p.account_number} is already used by another company.`,
          },
        };
      return { existing, cols };
    },
    companyIdOf: (row) => row.id,
  };
}

/**
 * Creates or updates many companies at once: each row is matched by (external_source,
 * external_id), then by account number, and created when neither matches. If any row is
 * invalid nothing is written (BulkRejected lists each row's errors).
 */
export async function upsertCompanies(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await companySpec(h), rows);
}
