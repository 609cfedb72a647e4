import { and, eq } from "drizzle-orm";
import { upsertAssets } from "../../assets/data.ts";
import { upsertRmmSiteLinks } from "../../data/rmm.ts";
import { setStale } from "../../data/stale.ts";
import { dattoClient, type IntegrationContext } from "../context.ts";
import { assetRow, SOURCE } from "../datto/mapping.ts";
import { IntegrationError } from "../http.ts";
import { readSettings } from "../settings.ts";
import { locallyEditedFields, syncActor, upsertInBatches, withoutLocalEdits } from "./common.ts";
import type { JobReport } from "./report.ts";

const actor = syncActor(SOURCE);

/**
 * RMM sync: Datto sites are linked to companies by their AccountNumber site variable, and each
 * linked site's devices become assets keyed by device uid. A site whose device list could not
 * be read completely is left as it is and the run ends as failed. Assets no longer reported by
 * a completely read site, or whose site is gone from Datto's (complete) site list, are marked
 * stale, never deleted, and unmarked when Datto reports them again. Fields people edited are kept.
 */
export async function syncRmm(ctx: IntegrationContext, report: JobReport): Promise<void> {
  const h = ctx.db;
  const datto = await dattoClient(ctx, { monitor: report });
  const { settings } = await readSettings(h, "datto");
  report.phase("reading sites");
  const unusable = (what: string) => (problem: string) => {
    report.add(`${what}_unusable`);
    report.log(`a ${what.replace(/s$/, "")} Datto reported cannot be used and was skipped: ${problem}`);
  };
  const sites = (await datto.sites(unusable("sites"))).map((s) => ({ ...s, name: s.name?.trim() || s.uid }));
  report.add("sites_fetched", sites.length);
  const companies = new Map(
    (await h.db.select({ id: h.t.companies.id, acct: h.t.companies.accountNumber }).from(h.t.companies)).map((c) => [
      c.acct,
      c.id,
    ]),
  );
  const failures: string[] = [];
  // Device uids Datto reported in this run, and the sites whose device list was read completely.
  const seen = new Set<string>();
  const fullyRead = new Set<string>();

  const linked: { uid: string; name: string; account: string }[] = [];
  for (const site of sites) {
    let account: string | null;
    try {
      account = await datto.siteVariable(site.uid, settings.accountVariable);
    } catch (e) {
      failures.push(`site ${site.name}: ${(e as Error).message}`);
      continue;
    }
    if (!account) {
      report.add("sites_without_account_number");
      report.log(
        `site "${site.name}" (${site.uid}) has no ${settings.accountVariable} variable; link it from the settings page`,
      );
      continue;
    }
    if (!companies.has(account)) {
      report.add("sites_with_unknown_account_number");
      report.log(`site "${site.name}" has ${settings.accountVariable}=${account}, which is no Codex company`);
      continue;
    }
    linked.push({ uid: site.uid, name: site.name, account });
  }
  if (linked.length)
    await upsertRmmSiteLinks(
      h,
      linked.map((s) => ({ company: s.account, provider: SOURCE, site_uid: s.uid, site_name: s.name })),
      actor,
    );
  report.add("sites_linked", linked.length);

  for (const [i, site] of linked.entries()) {
    report.phase(`reading the devices of site ${i + 1} of ${linked.length} (${site.name})`);
    let devices: Awaited<ReturnType<typeof datto.siteDevices>>;
    try {
      devices = await datto.siteDevices(site.uid, unusable("devices"));
    } catch (e) {
      // A partial device list must not look like "these devices are gone": skip the site entirely.
      failures.push(`devices of site ${site.name}: ${(e as Error).message}`);
      continue;
    }
    const live = devices.filter((d) => !d.deleted);
    report.add("devices_fetched", live.length);
    const companyId = companies.get(site.account)!;
    const existing = await h.db
      .select({ id: h.t.assets.id, externalId: h.t.assets.externalId, hostname: h.t.assets.hostname })
      .from(h.t.assets)
      .where(and(eq(h.t.assets.externalSource, SOURCE), eq(h.t.assets.companyId, companyId)));
    const idOf = new Map(existing.map((a) => [a.externalId!, a.id]));
    const edits = await locallyEditedFields(
      h,
      "asset",
      existing.map((a) => a.id),
    );
    const rows = live.map((d) => {
      const row = withoutLocalEdits(assetRow(d, site.account, settings), edits.get(idOf.get(d.uid) ?? -1), {
        keep: ["external_id", "external_source", "company", "hostname"],
      });
      const current = existing.find((a) => a.externalId === d.uid);
      return current && edits.get(current.id)?.has("hostname") ? { ...row, hostname: current.hostname } : row;
    });
    await upsertInBatches(
      (batch) => upsertAssets(h, batch, actor),
      rows,
      report,
      "assets",
      (r) => `${r.hostname} (device ${r.external_id})`,
    );
    for (const d of live) seen.add(d.uid);
    fullyRead.add(site.name);
  }
  await markStaleAssets(ctx, report, { seen, fullyRead, siteNames: new Set(sites.map((s) => s.name)) });
  if (failures.length) {
    for (const f of failures) report.log(f);
    throw new IntegrationError(
      "datto",
      "incomplete",
      `datto: ${failures.length} part(s) of the RMM could not be read; those sites were left unchanged: ${failures[0]}`,
    );
  }
}

/**
 * Datto's assets not reported in this run become stale when their site was read completely
 * (the device is gone) or their site is no longer in Datto at all; a site that could not be
 * read, or is not linked, says nothing about its devices. Reported assets lose the mark.
 */
async function markStaleAssets(
  ctx: IntegrationContext,
  report: JobReport,
  run: { seen: Set<string>; fullyRead: Set<string>; siteNames: Set<string> },
): Promise<void> {
  const h = ctx.db;
  const assets = await h.db
    .select({
      id: h.t.assets.id,
      externalId: h.t.assets.externalId,
      hostname: h.t.assets.hostname,
      rmmSiteName: h.t.assets.rmmSiteName,
    })
    .from(h.t.assets)
    .where(eq(h.t.assets.externalSource, SOURCE));
  const fresh = assets.filter((a) => run.seen.has(a.externalId!));
  const gone = assets.filter(
    (a) =>
      !run.seen.has(a.externalId!) &&
      a.rmmSiteName !== null &&
      (run.fullyRead.has(a.rmmSiteName) || !run.siteNames.has(a.rmmSiteName)),
  );
  const bySite = new Map<string, string[]>();
  for (const a of gone)
    (bySite.get(a.rmmSiteName!) ?? bySite.set(a.rmmSiteName!, []).get(a.rmmSiteName!)!).push(a.hostname);
  for (const [site, hosts] of bySite)
    report.log(
      `site "${site}"${run.siteNames.has(site) ? "" : " (no longer in Datto)"}: ` +
        `no longer reported by Datto (kept, marked stale): ${hosts.join(", ")}`,
    );
  if (gone.length) report.add("assets_missing_in_rmm", gone.length);
  const result = await setStale(h, "asset", { stale: gone.map((a) => a.id), fresh: fresh.map((a) => a.id) }, actor);
  if (result.marked) report.add("assets_marked_stale", result.marked);
  if (result.cleared) report.add("assets_no_longer_stale", result.cleared);
}

/** Links a Datto site to a company: writes the AccountNumber variable in Datto and the site link in Codex. */
export async function linkSite(
  ctx: IntegrationContext,
  siteUid: string,
  accountNumber: string,
  actorName: string,
): Promise<"created" | "updated" | "unchanged"> {
  const h = ctx.db;
  const [company] = await h.db
    .select({ id: h.t.companies.id })
    .from(h.t.companies)
    .where(eq(h.t.companies.accountNumber, accountNumber));
  if (!company)
    throw new IntegrationError("datto", "bad_request", `there is no company with account number ${accountNumber}`);
  const datto = await dattoClient(ctx);
  const { settings } = await readSettings(h, "datto");
  const site = (await datto.sites()).find((s) => s.uid === siteUid);
  if (!site) throw new IntegrationError("datto", "not_found", `datto: there is no site ${siteUid}`);
  const siteName = site.name?.trim() || site.uid;
  const outcome = await datto.setSiteVariable(siteUid, settings.accountVariable, accountNumber);
  await upsertRmmSiteLinks(h, [{ company: accountNumber, provider: SOURCE, site_uid: siteUid, site_name: siteName }], {
    name: actorName,
  });
  return outcome;
}
