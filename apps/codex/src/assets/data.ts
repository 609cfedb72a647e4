import type { z } from "zod";
import { and, eq, inArray } from "drizzle-orm";
import { notFound } from "@hivematrix/lib/errors";
import { companyIdsByAccount } from "../companies/data.ts";
import type { CodexDb } from "../deps.ts";
import type { ASSET_TYPES, Asset } from "../db/schema.ts";
import type { Actor } from "../shared/data-audit.ts";
import { type BulkResult, type BulkSpec, runBulk, writeOne } from "../shared/data-bulk.ts";
import { existingByExternal, rowsWhereIn, selectIn } from "../shared/data-common.ts";
import { deleteRecord } from "../shared/data-records.ts";
import { toColumns } from "../shared/fields.ts";
import { type AssetCreate, type AssetUpdate, assetCreate, assetFields, assetUpdate } from "./json.ts";

/**
 * What an asset is billed as when nobody said: RMMs report servers and VMs in their device
 * category or OS name, so those are not billed as workstations (the old system's mistake).
 */
export function inferAssetType(reported: {
  hardware_type?: string | null;
  device_type?: string | null;
  operating_system?: string | null;
}): (typeof ASSET_TYPES)[number] {
  const text = [reported.hardware_type, reported.device_type, reported.operating_system]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
  if (/server|esxi|hypervisor/.test(text)) return "server";
  if (/\b(vm|virtual)\b/.test(text)) return "vm";
  if (/firewall|router|gateway|utm/.test(text)) return "firewall";
  if (/switch/.test(text)) return "switch";
  if (/printer|ups|nas|network device/.test(text)) return "other";
  return "workstation";
}

/** Checked input → columns; the type is inferred for a new asset when not given. */
function assetColumns(input: Partial<AssetCreate>, companyId: number | undefined, existing: Asset | undefined) {
  const { id: _id, ...columns } = toColumns<Asset>(assetFields, input);
  if (companyId !== undefined) columns.companyId = companyId;
  if (!input.asset_type && !existing) columns.assetType = inferAssetType(input);
  return columns;
}

export async function contactsOfAssets(db: CodexDb, ids: number[]): Promise<Map<number, number[]>> {
  const rows = await selectIn(ids, (part) =>
    db.db
      .select()
      .from(db.t.assetContacts)
      .where(inArray(db.t.assetContacts.assetId, part as number[])),
  );
  const out = new Map<number, number[]>();
  for (const link of rows) (out.get(link.assetId) ?? out.set(link.assetId, []).get(link.assetId)!).push(link.contactId);
  return out;
}

export async function requireAsset(db: CodexDb, id: number): Promise<Asset> {
  const [row] = await db.db.select().from(db.t.assets).where(eq(db.t.assets.id, id));
  if (!row) throw notFound(`No asset ${id}.`);
  return row;
}

async function assetSpec(db: CodexDb, options: { target?: Asset } = {}): Promise<BulkSpec<Asset, AssetCreate>> {
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
    table: db.t.assets,
    tableName: "assets",
    schema: (options.target ? assetUpdate : assetCreate) as z.ZodType<AssetCreate>,
    async load(rows) {
      const wantIds = rows.flatMap((row) => (row.id ? [row.id] : []));
      for (const asset of await rowsWhereIn<Asset>(db, db.t.assets, db.t.assets.id, wantIds)) byId.set(asset.id, asset);
      for (const [account, id] of await companyIdsByAccount(
        db,
        rows.flatMap((row) => (row.company ? [row.company] : [])),
      ))
        companyIds.set(account, id);
      for (const [key, asset] of await existingByExternal<Asset>(db, db.t.assets, rows)) byExternal.set(key, asset);
      if (!options.target) {
        // By company: the same hostname (WS-001) is common across companies.
        const hostsByCompany = new Map<number, string[]>();
        for (const row of rows) {
          const companyId = companyIds.get(row.company);
          if (row.external_id || row.id || companyId === undefined) continue;
          (hostsByCompany.get(companyId) ?? hostsByCompany.set(companyId, []).get(companyId)!).push(row.hostname);
        }
        for (const [companyId, hosts] of hostsByCompany) {
          for (const asset of await selectIn(hosts, (part) =>
            db.db
              .select()
              .from(db.t.assets)
              .where(and(eq(db.t.assets.companyId, companyId), inArray(db.t.assets.hostname, part as string[]))),
          )) {
            const key = `${asset.companyId}\u0000${asset.hostname}`;
            (byHost.get(key) ?? byHost.set(key, []).get(key)!).push(asset);
          }
        }
      }
      const locIds = rows.flatMap((row) => (row.location_id ? [row.location_id] : []));
      for (const location of await selectIn(locIds, (part) =>
        db.db
          .select({ id: db.t.locations.id, companyId: db.t.locations.companyId })
          .from(db.t.locations)
          .where(inArray(db.t.locations.id, part as number[])),
      )) {
        locations.set(location.id, location.companyId);
      }
      const wanted = rows.flatMap((row) => row.contact_ids ?? []);
      for (const contact of await selectIn(wanted, (part) =>
        db.db
          .select({ id: db.t.contacts.id })
          .from(db.t.contacts)
          .where(inArray(db.t.contacts.id, part as number[])),
      ))
        contactIds.add(contact.id);
      const known = [
        ...byId.values(),
        ...byExternal.values(),
        ...[...byHost.values()].flat(),
        ...(options.target ? [options.target] : []),
      ].map((asset) => asset.id);
      if (rows.some((row) => row.contact_ids)) {
        for (const link of await selectIn(known, (part) =>
          db.db
            .select()
            .from(db.t.assetContacts)
            .where(inArray(db.t.assetContacts.assetId, part as number[])),
        )) {
          (currentLinks.get(link.assetId) ?? currentLinks.set(link.assetId, new Set()).get(link.assetId)!).add(
            link.contactId,
          );
        }
      }
    },
    resolve(row, index) {
      if (row.id && !byId.has(row.id)) return { error: { field: "id", message: `No asset ${row.id}.` } };
      const companyId = row.company ? companyIds.get(row.company) : undefined;
      if (row.company && companyId === undefined)
        return { error: { field: "company", message: `No company with account number ${row.company}.` } };
      const ext = row.external_id ? byExternal.get(`${row.external_source}\u0000${row.external_id}`) : undefined;
      const byHostname = !options.target && !row.external_id && !row.id;
      const hostKey = `${companyId}\u0000${row.hostname}`;
      if (byHostname) {
        const dup = seenHosts.get(hostKey);
        if (dup !== undefined)
          return { error: { field: "hostname", message: `Repeats row ${dup + 1}'s hostname at this company.` } };
        seenHosts.set(hostKey, index);
      }
      const sameHost = byHostname ? (byHost.get(hostKey) ?? []) : [];
      // The only asset with this hostname, else the one no sync owns (company + hostname is unique among those).
      const hostMatch = sameHost.length === 1 ? sameHost[0] : sameHost.find((asset) => asset.externalId === null);
      const existing = options.target ?? (row.id ? byId.get(row.id) : undefined) ?? ext ?? hostMatch;
      const finalCompany = companyId ?? existing?.companyId;
      if (row.location_id && locations.get(row.location_id) !== finalCompany)
        return { error: { field: "location_id", message: "No such location at this company." } };
      const missing = (row.contact_ids ?? []).find((contactId) => !contactIds.has(contactId));
      if (missing) return { error: { field: "contact_ids", message: `No contact ${missing}.` } };
      return { existing, cols: assetColumns(row, companyId, existing) };
    },
    companyIdOf: (row) => row.companyId,
    async writeLinks(tx, id, row, created) {
      if (!row.contact_ids) return false;
      const want = new Set(row.contact_ids);
      const have = created ? new Set<number>() : (currentLinks.get(id) ?? new Set<number>());
      const add = [...want].filter((contactId) => !have.has(contactId));
      const remove = [...have].filter((contactId) => !want.has(contactId));
      if (add.length) await tx.insert(db.t.assetContacts).values(add.map((contactId) => ({ assetId: id, contactId })));
      if (remove.length)
        await tx
          .delete(db.t.assetContacts)
          .where(and(eq(db.t.assetContacts.assetId, id), inArray(db.t.assetContacts.contactId, remove)));
      if (add.length + remove.length === 0) return false;
      // The audit row names who was linked and unlinked, not just "links changed".
      return {
        before: { contactIds: [...have].sort((a, b) => a - b) },
        after: { contactIds: [...want].sort((a, b) => a - b) },
      };
    },
  };
}

export async function createAsset(db: CodexDb, input: AssetCreate, actor: Actor): Promise<Asset> {
  const id = await writeOne(db, actor, await assetSpec(db), input);
  return requireAsset(db, id);
}

export async function updateAsset(db: CodexDb, asset: Asset, input: AssetUpdate, actor: Actor): Promise<Asset> {
  await writeOne(db, actor, await assetSpec(db, { target: asset }), input as AssetCreate);
  return requireAsset(db, asset.id);
}

export function deleteAsset(db: CodexDb, asset: Asset, actor: Actor): Promise<void> {
  return deleteRecord(db, actor, { entity: "asset", table: db.t.assets, current: asset, companyId: asset.companyId });
}

/**
 * Creates or updates many assets: matched by (external_source, external_id), then by hostname
 * within the company (the only asset with it, else the one no sync owns: company + hostname is
 * unique among assets without an external id); `asset_type` is inferred from the RMM's device
 * category and OS when not given. Nothing is written if any row is invalid.
 */
export async function upsertAssets(db: CodexDb, rows: unknown[], actor: Actor): Promise<BulkResult> {
  return runBulk(db, actor, await assetSpec(db), rows);
}
