import type { DattoSettings } from "../settings.ts";
import { isoTime } from "../sync/common.ts";
import type { DattoDevice } from "./schemas.ts";

export const SOURCE = "datto";

const trim = (v: string | null | undefined, max: number) => {
  const s = v?.trim();
  return s ? s.slice(0, max) : null;
};

/** A UDF's value as text: the spec says string, but numbers and booleans arrive too; anything else is no value. */
function udfText(v: unknown): string | null {
  if (typeof v === "string") return v.trim() || null;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

/**
 * A Datto device → an upsertAssets row. The device uid is the external id, so two devices with
 * the same hostname stay two assets. UDFs are copied only when the settings name them (their
 * meaning is each MSP's own, and some hold secrets).
 */
export function assetRow(d: DattoDevice, account: string, settings: DattoSettings): Record<string, unknown> {
  const udf = d.udf ?? {};
  const custom: Record<string, string> = {};
  for (const [key, label] of Object.entries(settings.udfLabels)) {
    const v = udfText(udf[key]);
    if (v) custom[label] = v.slice(0, 5000);
  }
  let backupBytes: number | undefined;
  const backup = settings.backupBytesUdf ? udfText(udf[settings.backupBytesUdf]) : null;
  if (backup !== null && Number.isFinite(Number(backup)) && Number(backup) >= 0)
    backupBytes = Math.round(Number(backup));
  return {
    company: account,
    // A device Datto reports without a hostname is still a device: its uid names it.
    hostname: trim(d.hostname, 255) ?? d.uid,
    hardware_type: trim(d.deviceType?.category, 100),
    device_type: trim(d.deviceType?.type, 100),
    operating_system: trim(d.operatingSystem, 200),
    description: trim(d.description, 2000),
    last_logged_in_user: trim(d.lastLoggedInUser, 200),
    rmm_site_name: trim(d.siteName, 200),
    antivirus_product: trim(d.antivirus?.antivirusProduct, 200),
    patch_status: trim(d.patchManagement?.patchStatus, 100),
    internal_ip: trim(d.intIpAddress, 100),
    external_ip: trim(d.extIpAddress, 100),
    domain: trim(d.domain, 253),
    portal_url: trim(d.portalUrl, 500),
    web_remote_url: trim(d.webRemoteUrl, 500),
    online: d.online ?? false,
    last_seen_at: isoTime(d.lastSeen),
    last_reboot_at: isoTime(d.lastReboot),
    last_audit_at: isoTime(d.lastAuditDate),
    ...(Object.keys(custom).length ? { custom_fields: custom } : {}),
    ...(backupBytes !== undefined ? { backup_bytes: backupBytes, backed_up: backupBytes > 0 } : {}),
    external_id: d.uid,
    external_source: SOURCE,
  };
}

/** The device as the RMM reports it, for /api/datto/device(s): real data only, nothing invented. */
export function deviceJson(d: DattoDevice) {
  return {
    uid: d.uid,
    hostname: d.hostname ?? null,
    site_uid: d.siteUid ?? null,
    site_name: d.siteName ?? null,
    category: d.deviceType?.category ?? null,
    type: d.deviceType?.type ?? null,
    operating_system: d.operatingSystem ?? null,
    description: d.description ?? null,
    online: d.online ?? null,
    internal_ip: d.intIpAddress ?? null,
    external_ip: d.extIpAddress ?? null,
    domain: d.domain ?? null,
    last_logged_in_user: d.lastLoggedInUser ?? null,
    last_seen_at: isoTime(d.lastSeen),
    last_reboot_at: isoTime(d.lastReboot),
    last_audit_at: isoTime(d.lastAuditDate),
    antivirus_product: d.antivirus?.antivirusProduct ?? null,
    antivirus_status: d.antivirus?.antivirusStatus ?? null,
    patch_status: d.patchManagement?.patchStatus ?? null,
    portal_url: d.portalUrl ?? null,
    web_remote_url: d.webRemoteUrl ?? null,
  };
}
