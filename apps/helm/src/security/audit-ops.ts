import type { BackupEvidence } from "../backups/evidence.ts";
import type { CertificateInfo, Finding } from "./json.ts";

/** A backup older than this is no protection against losing a day's work or more. */
export const BACKUP_MAX_AGE_HOURS = 48;
/** Let's Encrypt renews 30 days ahead; a certificate this close to its end is not being renewed. */
export const CERTIFICATE_WARN_DAYS = 21;

const HOUR_MS = 3_600_000;

/** No successful backup in the last 48 hours (checked when the caller can see the backup folder). */
export function backupFindings(evidence: BackupEvidence, production: boolean, now = new Date()): Finding[] {
  const { lastSuccess, lastFailure, folder } = evidence;
  if (lastSuccess && now.getTime() - lastSuccess.getTime() <= BACKUP_MAX_AGE_HOURS * HOUR_MS) return [];
  const since = lastSuccess ? `the newest is from ${lastSuccess.toISOString()}` : "there is none";
  const failure = lastFailure ? ` Helm's last backup failed: ${lastFailure.message}` : "";
  return [
    {
      check: "backup.stale",
      // A development install without backups is normal; a production one is one disk failure from losing everything.
      severity: production ? "medium" : "info",
      title: `No successful backup in the last ${BACKUP_MAX_AGE_HOURS} hours`,
      detail: `Looked in ${folder} and at Helm's backups: ${since}.${failure}`,
      fix:
        "Set a schedule on Helm's Backups page (or run `bun run backup` from cron) after `bun run backup --init`," +
        " and copy the key off this machine.",
    },
  ];
}

/** Nexus's certificate: unreadable, expired, or expiring within 21 days. */
export function certificateFindings(certificate: CertificateInfo): Finding[] {
  if (!certificate.configured) return [];
  if ("error" in certificate)
    return [
      {
        check: "tls.certificate-unreadable",
        severity: "high",
        title: "Nexus's TLS certificate cannot be read",
        detail: `${certificate.error}: Nexus will not start with it.`,
        fix: "Point NEXUS_TLS_CERT at the PEM file of the server's certificate (and its chain).",
      },
    ];
  if (certificate.days_left >= CERTIFICATE_WARN_DAYS) return [];
  const expired = certificate.days_left < 0;
  return [
    {
      check: "tls.certificate-expiry",
      severity: expired ? "high" : "medium",
      title: expired
        ? `Nexus's TLS certificate expired on ${certificate.valid_to.slice(0, 10)}`
        : `Nexus's TLS certificate expires in ${certificate.days_left} day${certificate.days_left === 1 ? "" : "s"}`,
      detail:
        `${certificate.subject}, issued by ${certificate.issuer}, is valid until ${certificate.valid_to}.` +
        (expired ? " Browsers refuse the site." : " Browsers will refuse the site once it expires."),
      fix: `Renew it (and its chain) in ${certificate.file}, then restart Nexus from Helm's Services page.`,
    },
  ];
}
