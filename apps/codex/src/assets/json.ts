import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { ASSET_TYPES, type Asset, assets } from "../db/schema.ts";
import { pageQuery, staleQuery } from "../shared/data-pagination.ts";
import { csvColumns, fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import { accountNumberSchema, boolish, externalCheck, optText, optTimestamp } from "../shared/input.ts";

const columns = createSelectSchema(assets, { customFields: z.record(z.string(), z.string()) }).shape;

/** A text column the RMM reports, written as it is. */
const text = <K extends keyof typeof columns & string>(column: K, max: number) => ({
  ...fromColumn(columns, column),
  input: optText(max),
  csv: "text" as const,
});
const time = <K extends "lastSeenAt" | "lastRebootAt" | "lastAuditAt">(column: K) => ({
  ...fromColumn(columns, column),
  input: optTimestamp(),
  csv: "text" as const,
});

/** An asset's fields, written once: its request schemas, JSON and CSV columns come from here. */
export const assetFields = {
  /** In bulk and CSV rows: update that asset. */
  id: { ...fromColumn(columns, "id"), input: z.number().int().positive().optional(), csv: "int" },
  /** The company's account number. */
  company: { output: z.string(), input: accountNumberSchema, csv: "text" },
  hostname: {
    ...fromColumn(columns, "hostname"),
    input: z.string().trim().min(1, "Required.").max(255),
    csv: "text",
  },
  /** What it is billed as; inferred from the RMM's device category and OS when not given. */
  asset_type: { ...fromColumn(columns, "assetType"), input: z.enum(ASSET_TYPES).optional(), csv: "text" },
  location_id: {
    ...fromColumn(columns, "locationId"),
    input: z.number().int().positive().nullable().optional(),
    csv: "int",
  },
  hardware_type: text("hardwareType", 100),
  device_type: text("deviceType", 100),
  manufacturer: text("manufacturer", 100),
  model: text("model", 100),
  serial_number: text("serialNumber", 100),
  operating_system: text("operatingSystem", 200),
  description: text("description", 2000),
  last_logged_in_user: text("lastLoggedInUser", 200),
  rmm_site_name: text("rmmSiteName", 200),
  antivirus_product: text("antivirusProduct", 200),
  patch_status: text("patchStatus", 100),
  internal_ip: text("internalIp", 100),
  external_ip: text("externalIp", 100),
  domain: text("domain", 253),
  portal_url: text("portalUrl", 500),
  web_remote_url: text("webRemoteUrl", 500),
  online: { ...fromColumn(columns, "online"), input: z.boolean().optional(), csv: "bool" },
  last_seen_at: time("lastSeenAt"),
  last_reboot_at: time("lastRebootAt"),
  last_audit_at: time("lastAuditAt"),
  backed_up: { ...fromColumn(columns, "backedUp"), input: z.boolean().optional(), csv: "bool" },
  backup_bytes: {
    ...fromColumn(columns, "backupBytes"),
    input: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    csv: "int",
  },
  custom_fields: {
    ...fromColumn(columns, "customFields"),
    input: z.record(z.string().max(100), z.string().max(5000)).optional(),
    csv: "json",
  },
  /** Contacts who use this asset (replaces the list when sent). */
  contact_ids: {
    output: z.array(z.number().int()),
    input: z.array(z.number().int().positive()).max(100).optional(),
    csv: "intlist",
  },
  /** When a complete RMM sync stopped finding this device; stale assets are not billed. */
  stale_since: fromColumn(columns, "staleSince"),
  external_id: text("externalId", 100),
  external_source: text("externalSource", 50),
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

const { id: _id, ...editable } = inputShape(assetFields);

export const assetSchema = responseSchema(assetFields, "Asset");
export type AssetJson = z.infer<typeof assetSchema>;

/** A new asset; also a bulk or CSV row (with `id`, an update of that asset). */
export const assetCreate = z.object(inputShape(assetFields)).strict().superRefine(externalCheck);
export type AssetCreate = z.infer<typeof assetCreate>;
export const assetUpdate = z.object(editable).partial().strict().superRefine(externalCheck);
export type AssetUpdate = z.infer<typeof assetUpdate>;

export const ASSET_CSV = csvColumns(assetFields);

/** `company`: its account number; `contactIds`: who uses it. */
export function assetJson(asset: Asset, company: string, contactIds: number[]): AssetJson {
  return toJson(assetFields, asset, { company, contact_ids: contactIds });
}

export const assetListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    asset_type: z.enum(ASSET_TYPES).optional(),
    online: boolish.optional(),
    stale: staleQuery,
    sort: z.enum(["hostname", "updated_at"]).default("hostname"),
    ...pageQuery,
  })
  .strict();
export type AssetListQuery = z.infer<typeof assetListQuery>;

/** What a link form offers: a short list to pick from, or (for a big company) a field to type into. */
export type LinkChoices = { options: { id: number; label: string }[] } | { tooMany: number };
