import { z } from "zod";

/**
 * The parts of Datto RMM API v2 objects Codex reads. The API's OpenAPI document
 * (/api/v3/api-docs on each platform) marks no field as required and real answers carry nulls
 * for unset ones, so everything but an item's uid accepts null: one odd device must not fail
 * its site's page. Unknown fields are kept (loose objects).
 */
const text = z.string().nullish();
const stamp = z.union([z.number(), z.string()]).nullish();

export const pageDetailsSchema = z.looseObject({
  /** The next page's full URL; an empty string (or null) on the last page. */
  nextPageUrl: z.string().nullish(),
  count: z.number().nullish(),
  totalCount: z.number().nullish(),
});

export const siteSchema = z.looseObject({
  uid: z.string().min(1),
  id: z.number().nullish(),
  name: text,
  description: text,
  portalUrl: text,
  devicesStatus: z.looseObject({ numberOfDevices: z.number().nullish() }).nullish(),
});
export type DattoSite = z.infer<typeof siteSchema>;

export const deviceSchema = z.looseObject({
  uid: z.string().min(1),
  id: z.number().nullish(),
  siteUid: text,
  siteName: text,
  hostname: text,
  description: text,
  deviceType: z.looseObject({ category: text, type: text }).nullish(),
  operatingSystem: text,
  intIpAddress: text,
  extIpAddress: text,
  lastLoggedInUser: text,
  domain: text,
  online: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  lastSeen: stamp,
  lastReboot: stamp,
  lastAuditDate: stamp,
  antivirus: z.looseObject({ antivirusProduct: text, antivirusStatus: text }).nullish(),
  patchManagement: z.looseObject({ patchStatus: text }).nullish(),
  portalUrl: text,
  webRemoteUrl: text,
  /** udf1 … udf300 (the OpenAPI Udf schema); values are text in the spec, not always on the wire. */
  udf: z.record(z.string(), z.unknown()).nullish(),
});
export type DattoDevice = z.infer<typeof deviceSchema>;

export const variableSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  value: text,
  masked: z.boolean().nullish(),
});
export type DattoVariable = z.infer<typeof variableSchema>;

export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

/** A name for an item that failed its schema, for the run's log: its uid, hostname or name, else its position. */
export function describeItem(raw: unknown, index: number): string {
  const o = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const label = [o.hostname, o.name, o.uid].find((v) => typeof v === "string" && v.trim());
  return typeof label === "string" ? `"${label}"` : `#${index + 1} of its page`;
}
