import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import {
  ASSET_BILLING_TYPES,
  type ManualAsset,
  type ManualUser,
  manualAssets,
  manualUsers,
  USER_BILLING_TYPES,
} from "../../db/schema.ts";
import { fromColumn, inputShape, responseSchema, toJson } from "../../shared/fields.ts";
import { optText } from "../../shared/input.ts";
import { cents, customPriceCheck } from "../input.ts";

/**
 * Devices and users billed by hand (Ledger's manual assets and users): things the MSP bills a
 * company for that are not in Codex's asset or contact lists.
 */

const assetColumns = createSelectSchema(manualAssets).shape;
const userColumns = createSelectSchema(manualUsers).shape;
const name = z.string().trim().min(1, "Required.").max(200);

export const manualAssetFields = {
  id: fromColumn(assetColumns, "id"),
  hostname: { ...fromColumn(assetColumns, "hostname"), input: name },
  billing_type: { ...fromColumn(assetColumns, "billingType"), input: z.enum(ASSET_BILLING_TYPES) },
  custom_cents: { ...fromColumn(assetColumns, "customCents"), input: cents.nullable().optional() },
  notes: { ...fromColumn(assetColumns, "notes"), input: optText(1000) },
  created_at: fromColumn(assetColumns, "createdAt"),
  updated_at: fromColumn(assetColumns, "updatedAt"),
} as const;

export const manualUserFields = {
  id: fromColumn(userColumns, "id"),
  name: { ...fromColumn(userColumns, "name"), input: name },
  billing_type: { ...fromColumn(userColumns, "billingType"), input: z.enum(USER_BILLING_TYPES) },
  custom_cents: { ...fromColumn(userColumns, "customCents"), input: cents.nullable().optional() },
  notes: { ...fromColumn(userColumns, "notes"), input: optText(1000) },
  created_at: fromColumn(userColumns, "createdAt"),
  updated_at: fromColumn(userColumns, "updatedAt"),
} as const;

export const manualAssetCreateSchema = z.object(inputShape(manualAssetFields)).strict().superRefine(customPriceCheck);
export const manualAssetUpdateSchema = z.object(inputShape(manualAssetFields)).partial().strict();
export const manualUserCreateSchema = z.object(inputShape(manualUserFields)).strict().superRefine(customPriceCheck);
export const manualUserUpdateSchema = z.object(inputShape(manualUserFields)).partial().strict();
export type ManualCreate = z.infer<typeof manualAssetCreateSchema> | z.infer<typeof manualUserCreateSchema>;
export type ManualUpdate = z.infer<typeof manualAssetUpdateSchema> | z.infer<typeof manualUserUpdateSchema>;

export const manualAssetSchema = responseSchema(manualAssetFields, "ManualAsset");
export const manualUserSchema = responseSchema(manualUserFields, "ManualUser");

export const manualAssetJson = (asset: ManualAsset) => toJson(manualAssetFields, asset, {});
export const manualUserJson = (user: ManualUser) => toJson(manualUserFields, user, {});
