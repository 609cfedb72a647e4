import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { PlatformConfig } from "@hivematrix/lib/config";
import type { CertificateInfo } from "./json.ts";

type Env = Record<string, string | undefined>;

const DAY_MS = 86_400_000;

/** An X.509 name as one line: "CN=hm.example, O=Acme". */
const oneLine = (name: string) => name.split("\n").filter(Boolean).join(", ");

/**
 * The certificate Nexus serves HTTPS with: the first one in NEXUS_TLS_CERT (the server's own,
 * before any chain), read the way Nexus reads it (relative paths from the install's folder).
 */
export function nexusCertificate(config: Pick<PlatformConfig, "root">, env: Env, now = new Date()): CertificateInfo {
  if (!env.NEXUS_TLS_CERT) return { configured: false };
  const file = resolve(config.root, env.NEXUS_TLS_CERT);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code?.startsWith("E") && !code.startsWith("ERR_") ? `cannot be read (${code})` : "holds no PEM certificate";
    return { configured: true, file, error: `${file} ${why}` };
  }
  const validTo = new Date(certificate.validTo);
  return {
    configured: true,
    file,
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    alt_names: (certificate.subjectAltName ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
    valid_from: new Date(certificate.validFrom).toISOString(),
    valid_to: validTo.toISOString(),
    days_left: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
    self_signed: certificate.checkIssued(certificate),
    sha256: certificate.fingerprint256,
  };
}
