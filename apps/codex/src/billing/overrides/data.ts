import { and, eq, type SQL } from "drizzle-orm";
import { lockKey, transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { Company } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import { type Actor, writeAudit } from "../../shared/data-audit.ts";
import { changedFields } from "../../shared/data-common.ts";
import { RATE_FIELDS, type RateField } from "../engine/types.ts";
import type { AssetOverrideInput, CompanyOverridesInput, UserOverrideInput } from "./json.ts";

/** How a company is billed differently from its plan: its own rates, and devices and users billed otherwise. */

export interface CompanyOverrides {
  /** The rates in force instead of the plan's (null: the plan's). */
  overrides: Record<RateField, number | null>;
  /** Overrides switched off, with the value they had: switching one on again starts from it. */
  parked: Partial<Record<RateField, number>>;
}

export async function companyOverrides(db: CodexDb, companyId: number): Promise<CompanyOverrides> {
  const table = db.t.companyBillingOverrides;
  const [row] = await db.db.select().from(table).where(eq(table.companyId, companyId));
  return {
    overrides: Object.fromEntries(
      Object.entries(RATE_FIELDS).map(([field, column]) => [field, row ? row[column] : null]),
    ) as Record<RateField, number | null>,
    parked: (row?.parked ?? {}) as Partial<Record<RateField, number>>,
  };
}

/** The overrides as the API answers them: the rates, and `parked`. */
export async function overridesJson(db: CodexDb, companyId: number) {
  const { overrides, parked } = await companyOverrides(db, companyId);
  return { ...overrides, parked };
}

/**
 * Sets the overrides named in `input`: a number puts it in force, null returns to the plan's
 * rate and parks the value it had (as the old system's per-rate "enabled" switches kept it).
 */
export async function setCompanyOverrides(db: CodexDb, company: Company, input: CompanyOverridesInput, actor: Actor) {
  const table = db.t.companyBillingOverrides;
  await transaction(db, async (tx) => {
    // Parked values are merged with what is stored now, so the row is read (and created) by one writer at a time.
    await lockKey(db, `codex:company-billing-overrides:${company.id}`);
    const [before] = await tx.select().from(table).where(eq(table.companyId, company.id));
    const rates: Record<string, number | null> = {};
    const parked: Record<string, number> = { ...before?.parked };
    for (const [field, column] of Object.entries(RATE_FIELDS)) {
      const value = input[field as RateField];
      if (value === undefined) continue;
      rates[column] = value;
      const was = before?.[column] ?? null;
      if (value !== null) delete parked[field];
      else if (was !== null) parked[field] = was;
    }
    if (before && Object.keys(changedFields(before, rates)).length === 0) return;
    const values = { ...rates, parked: Object.keys(parked).length ? parked : null };
    const [after] = before
      ? await tx
          .update(table)
          .set({ ...values, updatedAt: new Date() })
          .where(eq(table.companyId, company.id))
          .returning()
      : await tx
          .insert(table)
          .values({ companyId: company.id, ...values })
          .returning();
    await writeAudit(tx, db, actor, [
      {
        action: before ? "update" : "create",
        entity: "company_billing_override",
        entityId: company.id,
        companyId: company.id,
        before: before ?? null,
        after,
      },
    ]);
  });
}

/** One override row, put in place of what was there (or removed, for null), with its audit row. */
async function replaceOverride(
  db: CodexDb,
  actor: Actor,
  target: {
    // The concrete drizzle table of this engine (db.t.<name>).
    // biome-ignore lint/suspicious/noExplicitAny: a table of either engine
    table: any;
    where: SQL | undefined;
    lock: string;
    values: Record<string, unknown> | null;
    entity: "asset_billing_override" | "contact_billing_override";
    entityId: string | number;
    companyId: number;
  },
) {
  await transaction(db, async (tx) => {
    await lockKey(db, target.lock);
    const [before] = await tx.select().from(target.table).where(target.where);
    if (!target.values && !before) return;
    await tx.delete(target.table).where(target.where);
    const [after] = target.values ? await tx.insert(target.table).values(target.values).returning() : [null];
    await writeAudit(tx, db, actor, [
      {
        action: !target.values ? "delete" : before ? "update" : "create",
        entity: target.entity,
        entityId: target.entityId,
        companyId: target.companyId,
        before: before ?? null,
        after,
      },
    ]);
  });
}

/** Bills an asset as another type, at no charge or at a custom price; null: as its type again. */
export async function setAssetOverride(
  db: CodexDb,
  assetId: number,
  companyId: number,
  input: AssetOverrideInput | null,
  actor: Actor,
) {
  const table = db.t.assetBillingOverrides;
  await replaceOverride(db, actor, {
    table,
    where: eq(table.assetId, assetId),
    lock: `codex:asset-billing-override:${assetId}`,
    values: input && { assetId, billingType: input.billing_type, customCents: input.custom_cents ?? null },
    entity: "asset_billing_override",
    entityId: assetId,
    companyId,
  });
}

/** Bills one of a company's users free or at a custom price; null: at the per-user rate again. */
export async function setUserOverride(
  db: CodexDb,
  company: Company,
  contactId: number,
  input: UserOverrideInput | null,
  actor: Actor,
) {
  const links = db.t.contactCompanies;
  const [link] = await db.db
    .select()
    .from(links)
    .where(and(eq(links.companyId, company.id), eq(links.contactId, contactId)));
  if (!link) throw notFound(`Contact ${contactId} is not a user of ${company.accountNumber}.`);
  const table = db.t.contactBillingOverrides;
  await replaceOverride(db, actor, {
    table,
    where: and(eq(table.companyId, company.id), eq(table.contactId, contactId)),
    lock: `codex:contact-billing-override:${company.id}:${contactId}`,
    values: input && {
      companyId: company.id,
      contactId,
      billingType: input.billing_type,
      customCents: input.custom_cents ?? null,
    },
    entity: "contact_billing_override",
    entityId: `${company.id}:${contactId}`,
    companyId: company.id,
  });
}
