import { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { transaction } from "@hivematrix/lib/db";
import { notFound } from "@hivematrix/lib/errors";
import type { CodexDb } from "../deps.ts";
import { ASSET_TYPES, type Asset } from "../db/schema.ts";
import { runBulk, runOne, type BulkSpec } from "../shared/data-bulk.ts";
import { accountNumberSchema, externalCheck, externalFields, optText, optTimestamp } from "../shared/input.ts";
import { dropUndefined, selectIn, existingByExternal } from "../shared/data-common.ts";
import { writeAudit, type Actor } from "../shared/data-audit.ts";
import type { BulkResult } from "../shared/data-bulk.ts";

const fields = {
  company: accountNumberSchema,
  hostname: z.string().trim().min(1, "Required.").max(255),
  asset_type: z.enum(ASSET_TYPES).optional(),
  location_id: z.number().int().positive().nullable().optional(),
  hardware_type: optText(100),
  device_type: optText(100),
  manufacturer: optText(100),
  model: optText(100),
  serial_number: optText(100),
  operating_system: optText(200),
  description: optText(2000),
  last_logged_in_user: optText(200),
  rmm_site_name: optText(200),
  antivirus_product: optText(200),
  patch_status: optText(100),
  internal_ip: optText(100),
  external_ip: optText(100),
  domain: optText(253),
  portal_url: optText(500),
  web_remote_url: optText(500),
  online: z.boolean().optional(),
  last_seen_at: optTimestamp(),
  last_reboot_at: optTimestamp(),
  last_audit_at: optTimestamp(),
  backed_up: z.boolean().optional(),
  backup_bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  custom_fields: z.record(z.string().max(100), z.string().max(5000)).optional(),
  /** Contacts who use this asset (replaces the list when sent). */
  contact_ids: z.array(z.number().int().positive()).max(100).optional(),
  ...externalFields,
};

/** `id` (bulk and CSV rows): update that asset. */
export const assetCreateSchema = z
  .object({ id: z.number().int().positive().optional(), ...fields })
  .strict()
  .superRefine(externalCheck);
export const assetUpdateSchema = z.object(fields).partial().strict().superRefine(externalCheck);
export type AssetCreate = z.infer<typeof assetCreateSchema>;

/**
 * What an asset is billed as when nobody said: RMMs report servers and VMs in their device
 * category or OS name, so those are not billed as workstations (the old system's mistake).
 */
export function inferAssetType(i: {
  hardware_type?: string | null;
  device_type?: string | null;
  operating_system?: string | null;
}): (typeof ASSET_TYPES)[number] {
  const text = [i.hardware_type, i.device_type, i.operating_system].filter(Boolean).join(" ").toLowerCase();
  if (/server|esxi|hypervisor/.test(text)) return "server";
  if (/\b(vm|virtual)\b/.test(text)) return "vm";
  if (/firewall|router|gateway|utm/.test(text)) return "firewall";
  if (/switch/.test(text)) return "switch";
  if (/printer|ups|nas|network device/.test(text)) return "other";
  return "workstation";
}

function toColumns(
  i: Partial<AssetCreate>,
  companyId: number | undefined,
  existing: Asset | undefined,
): Partial<Asset> {
  const assetType = i.asset_type ?? (existing ? undefined : inferAssetType(i));
  return dropUndefined({
    companyId,
    hostname: i.hostname,
    assetType,
    locationId: i.location_id,
    hardwareType: i.hardware_type,
    deviceType: i.device_type,
    manufacturer: i.manufacturer,
    model: i.model,
    serialNumber: i.serial_number,
    operatingSystem: i.operating_system,
    description: i.description,
    lastLoggedInUser: i.last_logged_in_user,
    rmmSiteName: i.rmm_site_name,
    antivirusProduct: i.antivirus_product,
    patchStatus: i.patch_status,
    internalIp: i.internal_ip,
    externalIp: i.external_ip,
    domain: i.domain,
    portalUrl: i.portal_url,
    webRemoteUrl: i.web_remote_url,
    online: i.online,
    lastSeenAt: i.last_seen_at,
    lastRebootAt: i.last_reboot_at,
    lastAuditAt: i.last_audit_at,
    backedUp: i.backed_up,
    backupBytes: i.backup_bytes,
    customFields: i.custom_fields,
    externalId: i.external_id,
    externalSource: i.external_source,
  }) as Partial<Asset>;
}

export function assetJson(a: Asset, company: string, contactIds: number[]) {
  return {
    id: a.id,
    company,
    hostname: a.hostname,
    asset_type: a.assetType,
    location_id: a.locationId,
    hardware_type: a.hardwareType,
    device_type: a.deviceType,
    manufacturer: a.manufacturer,
    model: a.model,
    serial_number: a.serialNumber,
    operating_system: a.operatingSystem,
    description: a.description,
    last_logged_in_user: a.lastLoggedInUser,
    rmm_site_name: a.rmmSiteName,
    antivirus_product: a.antivirusProduct,
    patch_status: a.patchStatus,
    internal_ip: a.internalIp,
    external_ip: a.externalIp,
    domain: a.domain,
    portal_url: a.portalUrl,
    web_remote_url: a.webRemoteUrl,
    online: a.online,
    last_seen_at: a.lastSeenAt?.toISOString() ?? null,
    last_reboot_at: a.lastRebootAt?.toISOString() ?? null,
    last_audit_at: a.lastAuditAt?.toISOString() ?? null,
    backed_up: a.backedUp,
    backup_bytes: a.backupBytes,
    custom_fields: a.customFields,
    contact_ids: contactIds,
    /** When a complete RMM sync stopped finding this device; stale assets are not billed. */
    stale_since: a.staleSince?.toISOString() ?? null,
    external_id: a.externalId,
    external_source: a.externalSource,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

export async function contactsOfAssets(h: CodexDb, ids: number[]): Promise<Map<number, number[]>> {
  const rows = await selectIn(ids, (part) =>
    h.db
      .select()
      .from(h.t.assetContacts)
      .where(inArray(h.t.assetContacts.assetId, part as number[])),
  );
  const out = new Map<number, number[]>();
  for (const r of rows) (out.get(r.assetId) ?? out.set(r.assetId, []).get(r.assetId)!).push(r.contactId);
  return out;
}

export async function requireAsset(h: CodexDb, id: number): Promise<Asset> {
  const [row] = await h.db.select().from(h.t.assets).where(eq(h.t.assets.id, id));
  if (!row) throw notFound(`No asset ${id}.`);
  return row;
}

async function assetSpec(h: CodexDb, o: { target?: Asset } = {}): Promise<BulkSpec<Asset, AssetCreate>> {
  const companyIds = new Map<string, number>();
  const byExternal = new Map<string, Asset>();
  const byHost = new Map<string, Asset[]>();
  const locations = new Map<number, number>();
  const contactIds = new Set<number>();
  const currentLinks = new Map<number, Set<number>>();
  const byId = new Map<number, Asset>();
  const seenHosts = new Map<string, number>();
  return {
    entity: "asset",
    table: h.t.assets,
    tableName: "assets",
    schema: (o.target ? assetUpdateSchema : assetCreateSchema) as z.ZodType<AssetCreate>,
    async load(rows) {
      const wantIds = rows.flatMap((r) => (r.id ? [r.id] : []));
      for (const x of await selectIn(wantIds, (part) =>
        h.db
          .select()
          .from(h.t.assets)
          .where(inArray(h.t.assets.id, part as number[])),
      ))
        byId.set(x.id, x);
      const accounts = rows.flatMap((r) => (r.company ? [r.company] : []));
      for (const c of await selectIn(accounts, (part) =>
        h.db
          .select({ id: h.t.companies.id, acct: h.t.companies.accountNumber })
          .from(h.t.companies)
          .where(inArray(h.t.companies.accountNumber, part as string[])),
      )) {
        companyIds.set(c.acct, c.id);
      }
      for (const [k, v] of await existingByExternal<Asset>(h, h.t.assets, rows)) byExternal.set(k, v);
      if (!o.target) {
        // By company: the same hostname (WS-001) is common across companies.
        const hostsByCompany = new Map<number, string[]>();
        for (const r of rows) {
          const cid = companyIds.get(r.company);
          if (r.external_id || r.id || cid === undefined) continue;
          (hostsByCompany.get(cid) ?? hostsByCompany.set(cid, []).get(cid)!).push(r.hostname);
        }
        for (const [cid, hosts] of hostsByCompany) {
          for (const a of await selectIn(hosts, (part) =>
            h.db
              .select()
              .from(h.t.assets)
              .where(and(eq(h.t.assets.companyId, cid), inArray(h.t.assets.hostname, part as string[]))),
          )) {
            const key = `${a.companyId}\u0000${a.hostname}`;
            (byHost.get(key) ?? byHost.set(key, []).get(key)!).push(a);
          }
        }
      }
      const locIds = rows.flatMap((r) => (r.location_id ? [r.location_id] : []));
      for (const l of await selectIn(locIds, (part) =>
        h.db
          .select({ id: h.t.locations.id, companyId: h.t.locations.companyId })
          .from(h.t.locations)
          .where(inArray(h.t.locations.id, part as number[])),
      )) {
        locations.set(l.id, l.companyId);
      }
      const wanted = rows.flatMap((r) => r.contact_ids ?? []);
      for (const c of await selectIn(wanted, (part) =>
        h.db
          .select({ id: h.t.contacts.id })
          .from(h.t.contacts)
          .where(inArray(h.t.contacts.id, part as number[])),
      ))
        contactIds.add(c.id);
      const known = [
        ...byId.values(),
        ...byExternal.values(),
        ...[...byHost.values()].flat(),
        ...(o.target ? [o.target] : []),
      ].map((a) => a.id);
      if (rows.some((r) => r.contact_ids)) {
        for (const l of await selectIn(known, (part) =>
          h.db
            .select()
            .from(h.t.assetContacts)
            .where(inArray(h.t.assetContacts.assetId, part as number[])),
        )) {
          (currentLinks.get(l.assetId) ?? currentLinks.set(l.assetId, new Set()).get(l.assetId)!).add(l.contactId);
        }
      }
    },
    resolve(p, i) {
      if (p.id && !byId.has(p.id)) return { error: { field: "id", message: `No asset ${p.id}.` } };
      const companyId = p.company ? companyIds.get(p.company) : undefined;
      if (p.company && companyId === undefined)
        return { error: { field: "company", message: `No company with account number ${p.company}.` } };
      const ext = p.external_id ? byExternal.get(`${p.external_source}\u0000${p.external_id}`) : undefined;
      const byHostname = !o.target && !p.external_id && !p.id;
      const hostKey = `${companyId}\u0000${p.hostname}`;
      if (byHostname) {
        const dup = seenHosts.get(hostKey);
        if (dup !== undefined)
          return { error: { field: "hostname", message: `Repeats row ${dup + 1}'s hostname at this company.` } };
        seenHosts.set(hostKey, i);
      }
      const sameHost = byHostname ? (byHost.get(hostKey) ?? []) : [];
      // The only asset with this hostname, else the one no sync owns (company + hostname is unique among those).
      const hostMatch = sameHost.length === 1 ? sameHost[0] : sameHost.find((a) => a.externalId === null);
      const existing = o.target ?? (p.id ? byId.get(p.id) : undefined) ?? ext ?? hostMatch;
      const finalCompany = companyId ?? existing?.companyId;
      if (p.location_id && locations.get(p.location_id) !== finalCompany)
        return { error: { field: "location_id", message: "No such location at this company." } };
      const missing = (p.contact_ids ?? []).find((c) => !contactIds.has(c));
      if (missing) return { error: { field: "contact_ids", message: `No contact ${missing}.` } };
      return { existing, cols: toColumns(p, companyId, existing) };
    },
    companyIdOf: (row) => row.companyId,
    async writeLinks(tx, id, p, created) {
      if (!p.contact_ids) return false;
      const want = new Set(p.contact_ids);
      const have = created ? new Set<number>() : (currentLinks.get(id) ?? new Set<number>());
      const add = [...want].filter((c) => !have.has(c));
      const remove = [...have].filter((c) => !want.has(c));
      if (add.length) await tx.insert(h.t.assetContacts).values(add.map((contactId) => ({ assetId: id, contactId })));
      if (remove.length)
        await tx
          .delete(h.t.assetContacts)
          .where(and(eq(h.t.assetContacts.assetId, id), inArray(h.t.assetContacts.contactId, remove)));
      if (add.length + remove.length === 0) return false;
      // The audit row names who was linked and unlinked, not just "links changed".
      return {
        before: { contactIds: [...have].sort((a, b) => a - b) },
        after: { contactIds: [...want].sort((a, b) => a - b) },
      };
    },
  };
}

export async function createAsset(h: CodexDb, input: unknown, actor: Actor): Promise<Asset> {
  const id = await runOne(h, actor, await assetSpec(h), input);
  return requireAsset(h, id);
}

export async function updateAsset(h: CodexDb, asset: Asset, input: unknown, actor: Actor): Promise<Asset> {
  await runOne(h, actor, await assetSpec(h, { target: asset }), input);
  return requireAsset(h, asset.id);
}

export async function deleteAsset(h: CodexDb, asset: Asset, actor: Actor): Promise<void> {
  await transaction(h, async (tx) => {
    await tx.delete(h.t.assets).where(eq(h.t.assets.id, asset.id));
    await writeAudit(tx, h, actor, [
      { action: "delete", entity: "asset", entityId: asset.id, companyId: asset.companyId, before: asset },
    ]);
  });
}

/**
 * Creates or updates many assets: matched by (external_source, external_id), then by hostname
 * within the company (the only asset with it, else the one no sync owns: company + hostname is
 * unique among assets without an external id); `asset_type` is inferred from the RMM's device
 * category and OS when not given. Nothing is written if any row is invalid.
 */
export async function upsertAssets(h: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(h, actor, await assetSpec(h), rows);
}
