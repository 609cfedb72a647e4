import { type AnyColumn, and, eq, inArray, type SQL } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { conflict, notFound, validationFailed } from "@hivematrix/lib/errors";
import type { Company } from "../db/schema.ts";
import { storageKeysOf } from "../tickets/attachments/data.ts";
import type { CodexDb } from "../deps.ts";
import { matchCondition } from "../search/data.ts";
import { type Actor, writeAudit } from "../shared/data-audit.ts";
import { type BulkResult, type BulkSpec, runBulk, writeOne } from "../shared/data-bulk.ts";
import { changedFields, existingByExternal, rowsWhereIn, selectIn } from "../shared/data-common.ts";
import { deleteRecord } from "../shared/data-records.ts";
import { pageOf, staleCondition } from "../shared/data-pagination.ts";
import { toColumns } from "../shared/fields.ts";
import {
  type CompanyCreate,
  type CompanyListQuery,
  type CompanyUpdate,
  companyCreate,
  companyFields,
  companyJson,
  type Plans,
} from "./json.ts";

export async function loadPlans(db: CodexDb): Promise<Plans> {
  const rows = await db.db.select().from(db.t.billingPlans);
  return new Map(rows.map((plan) => [plan.id, plan]));
}

/** The names of the billing plans, for the form's choice. */
export async function planNames(db: CodexDb): Promise<string[]> {
  return [...new Set([...(await loadPlans(db)).values()].map((plan) => plan.name))].sort();
}

/** Finds the plan a company's name + term point at; an error message when there is none. */
function planFor(
  plans: Plans,
  name: string | null | undefined,
  term: string | null | undefined,
): { id: number | null } | { error: { field: string; message: string } } {
  if (!name) return { id: null };
  if (!term) return { error: { field: "contract_term", message: "Choose the contract term of the billing plan." } };
  for (const plan of plans.values()) if (plan.name === name && plan.term === term) return { id: plan.id };
  return {
    error: {
      field: "billing_plan",
      message: `There is no billing plan "${name}" with the ${term.replace(/_/g, " ")} term.`,
    },
  };
}

export async function companyByAccount(db: CodexDb, accountNumber: string): Promise<Company | null> {
  const [row] = await db.db.select().from(db.t.companies).where(eq(db.t.companies.accountNumber, accountNumber));
  return row ?? null;
}

export async function requireCompany(db: CodexDb, accountNumber: string): Promise<Company> {
  const company = await companyByAccount(db, accountNumber);
  if (!company) throw notFound(`No company with account number ${accountNumber}.`);
  return company;
}

/** The id of the company with this account number (a client user's `company` claim). */
export async function companyIdOf(db: CodexDb, accountNumber: string): Promise<number | null> {
  const [row] = await db.db
    .select({ id: db.t.companies.id })
    .from(db.t.companies)
    .where(eq(db.t.companies.accountNumber, accountNumber));
  return row?.id ?? null;
}

/** account number → id, for the companies rows name that exist. */
export async function companyIdsByAccount(db: CodexDb, accounts: string[]): Promise<Map<string, number>> {
  const rows = await selectIn(accounts, (part) =>
    db.db
      .select({ id: db.t.companies.id, account: db.t.companies.accountNumber })
      .from(db.t.companies)
      .where(inArray(db.t.companies.accountNumber, part as string[])),
  );
  return new Map(rows.map((row) => [row.account, row.id]));
}

/** Rows whose `column` (a company id) is the company with this account number: a list's `company` filter. */
export function ofCompanyNamed(db: CodexDb, column: AnyColumn, accountNumber: string): SQL {
  const companies = db.t.companies;
  return inArray(
    column,
    db.db.select({ id: companies.id }).from(companies).where(eq(companies.accountNumber, accountNumber)),
  );
}

/** id → account number for the companies of some rows. */
export async function accountsOf(db: CodexDb, ids: number[]): Promise<Map<number, string>> {
  const rows = await selectIn(ids, (part) =>
    db.db
      .select({ id: db.t.companies.id, account: db.t.companies.accountNumber })
      .from(db.t.companies)
      .where(inArray(db.t.companies.id, part as number[])),
  );
  return new Map(rows.map((row) => [row.id, row.account]));
}

/** One page of companies as the API shows them; `scope` confines it to a client's company. */
export async function listCompanies(db: CodexDb, query: CompanyListQuery, scope: number | null) {
  const t = db.t.companies;
  const where = [
    scope === null ? undefined : eq(t.id, scope),
    query.q ? (matchCondition(db, "companies", query.q) ?? undefined) : undefined,
    query.compliance_level ? eq(t.complianceLevel, query.compliance_level) : undefined,
    query.billing_plan
      ? inArray(
          t.billingPlanId,
          db.db
            .select({ id: db.t.billingPlans.id })
            .from(db.t.billingPlans)
            .where(eq(db.t.billingPlans.name, query.billing_plan)),
        )
      : undefined,
    staleCondition(t.staleSince, query.stale),
  ];
  const sortCol = { name: t.name, account_number: t.accountNumber, updated_at: t.updatedAt }[query.sort];
  const page = await pageOf(db.db.select().from(t).$dynamic(), {
    where,
    sortCol,
    sortKey: (row) => ({ name: row.name, account_number: row.accountNumber, updated_at: row.updatedAt })[query.sort],
    idCol: t.id,
    order: query.order ?? (query.sort === "updated_at" ? "desc" : "asc"),
    cursor: query.cursor,
    limit: query.limit,
  });
  const plans = await loadPlans(db);
  return { items: page.items.map((row) => companyJson(row, plans)), next_cursor: page.next_cursor };
}

/** Every company a request may see, by account number (CSV exports). */
export async function allCompanies(db: CodexDb, scope: number | null) {
  const t = db.t.companies;
  const rows = await db.db
    .select()
    .from(t)
    .where(scope === null ? undefined : eq(t.id, scope))
    .orderBy(t.accountNumber);
  const plans = await loadPlans(db);
  return rows.map((row) => companyJson(row, plans));
}

export async function createCompany(db: CodexDb, input: CompanyCreate, actor: Actor): Promise<Company> {
  const id = await writeOne(db, actor, await companySpec(db, { createOnly: true }), input);
  const [row] = await db.db.select().from(db.t.companies).where(eq(db.t.companies.id, id));
  return row!;
}

export async function updateCompany(
  db: CodexDb,
  company: Company,
  input: CompanyUpdate,
  actor: Actor,
): Promise<Company> {
  const plans = await loadPlans(db);
  const t = db.t.companies;
  return transaction(db, async (tx) => {
    // The plan is looked up from the company as stored now, not as the caller last read it.
    const [current] = await forUpdate(db, tx.select().from(t).where(eq(t.id, company.id)));
    if (!current) throw notFound(`No company with account number ${company.accountNumber}.`);
    const cols = toColumns<Company>(companyFields, input);
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
        .select({ id: t.id })
        .from(t)
        .where(and(eq(t.externalSource, cols.externalSource), eq(t.externalId, cols.externalId)));
      if (other && other.id !== company.id)
        throw conflict("Another company has this external id.", [
          { field: "external_id", message: "Already used by another company." },
        ]);
    }
    const changes = changedFields(current, cols);
    if (Object.keys(changes).length === 0) return current;
    const [after] = await tx
      .update(t)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(t.id, company.id))
      .returning();
    await writeAudit(tx, db, actor, [
      { action: "update", entity: "company", entityId: company.id, companyId: company.id, before: current, after },
    ]);
    return after!;
  });
}

/** Deletes a company with everything of its own; returns the storage keys of its tickets' attachments' files. */
export async function deleteCompany(db: CodexDb, company: Company, actor: Actor): Promise<string[]> {
  const [bill] = await db.db
    .select({ id: db.t.acceptedBills.id })
    .from(db.t.acceptedBills)
    .where(eq(db.t.acceptedBills.companyId, company.id))
    .limit(1);
  if (bill) throw conflict("This company has accepted bills, which are kept for the records; it cannot be deleted.");
  const files = await storageKeysOf(db, { companyId: company.id });
  await deleteRecord(db, actor, { entity: "company", table: db.t.companies, current: company, companyId: company.id });
  return files;
}

async function companySpec(
  db: CodexDb,
  options: { createOnly?: boolean } = {},
): Promise<BulkSpec<Company, CompanyCreate>> {
  const plans = await loadPlans(db);
  const byAccount = new Map<string, Company>();
  const byExternal = new Map<string, Company>();
  const seen = new Map<string, number>();
  return {
    entity: "company",
    table: db.t.companies,
    tableName: "companies",
    schema: companyCreate,
    async load(rows) {
      const accounts = rows.map((row) => row.account_number);
      for (const company of await rowsWhereIn<Company>(db, db.t.companies, db.t.companies.accountNumber, accounts))
        byAccount.set(company.accountNumber, company);
      for (const [key, company] of await existingByExternal<Company>(db, db.t.companies, rows))
        byExternal.set(key, company);
    },
    resolve(row, index) {
      const cols = toColumns<Company>(companyFields, row);
      const plan = planFor(plans, row.billing_plan, row.contract_term);
      if ("error" in plan) return plan;
      if (row.billing_plan !== undefined) cols.billingPlanId = plan.id;
      const repeated = seen.get(row.account_number);
      if (repeated !== undefined)
        return { error: { field: "account_number", message: `Repeats row ${repeated + 1}'s account number.` } };
      seen.set(row.account_number, index);
      const external = row.external_id ? byExternal.get(`${row.external_source}\u0000${row.external_id}`) : undefined;
      const sameAccount = byAccount.get(row.account_number);
      const existing = external ?? sameAccount;
      if (existing && options.createOnly)
        return {
          error: {
            field: "account_number",
            message: `Account number ${row.account_number} is already used by ${existing.name}.`,
          },
        };
      if (external && sameAccount && sameAccount.id !== external.id)
        return {
          error: {
            field: "account_number",
            message: `Account number ${row.account_number} is already used by another company.`,
          },
        };
      return { existing, cols };
    },
    companyIdOf: (company) => company.id,
  };
}

/**
 * Creates or updates many companies at once: each row is matched by (external_source,
 * external_id), then by account number, and created when neither matches. If any row is
 * invalid nothing is written (BulkRejected lists each row's errors).
 */
export async function upsertCompanies(db: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(db, actor, await companySpec(db), rows);
}
