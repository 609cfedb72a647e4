import { z } from "zod";
import { eq } from "drizzle-orm";
import { forUpdate, transaction } from "@hivematrix/lib/db";
import { notFound, validationFailed } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import {
  ASSET_BILLING_TYPES,
  USER_BILLING_TYPES,
  type Company,
  type ManualAsset,
  type ManualUser,
} from "../db/schema.ts";
import { changedFields } from "../shared/data-common.ts";
import { optText } from "../shared/input.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";

/**
 * Devices and users billed by hand (Ledger's manual assets and users): things the MSP bills a
 * company for that are not in Codex's asset or contact lists. The bill counts them with their
 * billing type.
 */

const money = z.number().int("Whole cents.").min(0).max(100_000_000);
const customCheck = (v: { billing_type?: string; custom_cents?: number | null }, ctx: z.RefinementCtx) => {
  if (v.billing_type === "custom" && typeof v.custom_cents !== "number")
    ctx.addIssue({ code: "custom", path: ["custom_cents"], message: "A custom price needs custom_cents." });
};

const assetFields = {
  hostname: z.string().trim().min(1, "Required.").max(200),
  billing_type: z.enum(ASSET_BILLING_TYPES),
  custom_cents: money.nullable().optional(),
  notes: optText(1000),
};
const userFields = {
  name: z.string().trim().min(1, "Required.").max(200),
  billing_type: z.enum(USER_BILLING_TYPES),
  custom_cents: money.nullable().optional(),
  notes: optText(1000),
};
export const manualAssetCreateSchema = z.object(assetFields).strict().superRefine(customCheck);
export const manualAssetUpdateSchema = z.object(assetFields).partial().strict();
export const manualUserCreateSchema = z.object(userFields).strict().superRefine(customCheck);
export const manualUserUpdateSchema = z.object(userFields).partial().strict();

export function manualAssetJson(m: ManualAsset) {
  return {
    id: m.id,
    hostname: m.hostname,
    billing_type: m.billingType,
    custom_cents: m.customCents,
    notes: m.notes,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}
export function manualUserJson(m: ManualUser) {
  return {
    id: m.id,
    name: m.name,
    billing_type: m.billingType,
    custom_cents: m.customCents,
    notes: m.notes,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

type Kind = "asset" | "user";
const table = (h: CodexDb, kind: Kind) => (kind === "asset" ? h.t.manualAssets : h.t.manualUsers);
const entity = (kind: Kind): "manual_asset" | "manual_user" => (kind === "asset" ? "manual_asset" : "manual_user");

export async function listManual(h: CodexDb, kind: "asset", companyId: number): Promise<ManualAsset[]>;
export async function listManual(h: CodexDb, kind: "user", companyId: number): Promise<ManualUser[]>;
export async function listManual(h: CodexDb, kind: Kind, companyId: number): Promise<(ManualAsset | ManualUser)[]> {
  const t = table(h, kind);
  return h.db.select().from(t).where(eq(t.companyId, companyId)).orderBy(t.id) as Promise<(ManualAsset | ManualUser)[]>;
}

export async function requireManual(h: CodexDb, kind: "asset", company: Company, id: number): Promise<ManualAsset>;
export async function requireManual(h: CodexDb, kind: "user", company: Company, id: number): Promise<ManualUser>;
export async function requireManual(
  h: CodexDb,
  kind: Kind,
  company: Company,
  id: number,
): Promise<ManualAsset | ManualUser> {
  const t = table(h, kind);
  const [row] = (await h.db.select().from(t).where(eq(t.id, id))) as (ManualAsset | ManualUser)[];
  if (!row || row.companyId !== company.id) throw notFound(`No manual ${kind} ${id} for ${company.accountNumber}.`);
  return row;
}

function columns(
  input: {
    hostname?: string;
    name?: string;
    billing_type?: string;
    custom_cents?: number | null;
    notes?: string | null;
  },
  billingType: string | undefined,
) {
  return {
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.billing_type !== undefined ? { billingType: input.billing_type } : {}),
    // A custom price only means something for the custom type; other types keep none.
    ...(input.custom_cents !== undefined || input.billing_type !== undefined
      ? { customCents: billingType === "custom" ? (input.custom_cents ?? null) : null }
      : {}),
    ...(input.notes !== undefined ? { notes: input.notes ?? null } : {}),
  };
}

export async function createManual(
  h: CodexDb,
  kind: Kind,
  company: Company,
  input: z.infer<typeof manualAssetCreateSchema> | z.infer<typeof manualUserCreateSchema>,
  actor: Actor,
): Promise<ManualAsset | ManualUser> {
  const t = table(h, kind);
  return transaction(h, async (tx) => {
    const [row] = (await tx
      .insert(t)
      .values({ companyId: company.id, ...columns(input, input.billing_type) } as never)
      .returning()) as (ManualAsset | ManualUser)[];
    await writeAudit(tx, h, actor, [
      { action: "create", entity: entity(kind), entityId: row!.id, companyId: company.id, after: row },
    ]);
    return row!;
  });
}

export async function updateManual(
  h: CodexDb,
  kind: Kind,
  item: ManualAsset | ManualUser,
  input: z.infer<typeof manualAssetUpdateSchema> | z.infer<typeof manualUserUpdateSchema>,
  actor: Actor,
): Promise<ManualAsset | ManualUser> {
  const t = table(h, kind);
  return transaction(h, async (tx) => {
    // The price is merged from the item as stored now, not as the caller last read it.
    const [current] = (await forUpdate(h, tx.select().from(t).where(eq(t.id, item.id)))) as (
      | ManualAsset
      | ManualUser
    )[];
    if (!current) throw notFound(`No manual ${kind} ${item.id}.`);
    const billingType = input.billing_type ?? current.billingType;
    const customCents = input.custom_cents !== undefined ? input.custom_cents : current.customCents;
    if (billingType === "custom" && typeof customCents !== "number")
      throw validationFailed([{ field: "custom_cents", message: "A custom price needs custom_cents." }]);
    const cols = changedFields(
      current as Record<string, unknown>,
      columns({ ...input, custom_cents: customCents }, billingType),
    );
    if (Object.keys(cols).length === 0) return current;
    const [row] = (await tx
      .update(t)
      .set({ ...cols, updatedAt: new Date() } as never)
      .where(eq(t.id, item.id))
      .returning()) as (ManualAsset | ManualUser)[];
    await writeAudit(tx, h, actor, [
      {
        action: "update",
        entity: entity(kind),
        entityId: item.id,
        companyId: current.companyId,
        before: current,
        after: row,
      },
    ]);
    return row!;
  });
}

export async function deleteManual(
  h: CodexDb,
  kind: Kind,
  item: ManualAsset | ManualUser,
  actor: Actor,
): Promise<void> {
  const t = table(h, kind);
  await transaction(h, async (tx) => {
    await tx.delete(t).where(eq(t.id, item.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: entity(kind), entityId: item.id, companyId: item.companyId, before: item },
    ]);
  });
}
