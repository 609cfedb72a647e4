import { z } from "zod";

export const SEVERITIES = ["high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const findingSchema = z
  .object({
    check: z.string().meta({ description: 'Stable id of the check, e.g. "binding.exposed"' }),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    detail: z.string().meta({ description: "Why it matters" }),
    fix: z.string().meta({ description: "How to fix it" }),
  })
  .meta({ id: "Finding" });

export type Finding = z.infer<typeof findingSchema>;

/** One row of the listening-address table. */
export const bindingSchema = z
  .object({
    service: z.string(),
    port: z.number().int(),
    configured: z.string().meta({ description: "The address configuration tells it to bind" }),
    listening: z.array(z.string()).meta({ description: "Where it really listens (host:port)" }),
    verdict: z.enum(["loopback", "public", "exposed", "not running"]),
  })
  .meta({ id: "Binding" });

export type Binding = z.infer<typeof bindingSchema>;

export const auditReportSchema = z
  .object({
    at: z.iso.datetime(),
    findings: z.array(findingSchema).meta({ description: "Worst first" }),
    bindings: z.array(bindingSchema),
    worst: z
      .enum(SEVERITIES)
      .nullable()
      .meta({ description: "The worst severity found (info aside), or null when there is nothing to report" }),
  })
  .meta({ id: "AuditReport" });

export type AuditReport = z.infer<typeof auditReportSchema>;

export const firewallKinds = ["ufw", "iptables"] as const;
export type FirewallKind = (typeof firewallKinds)[number];

/** Which firewall tool a script is for (ufw unless asked). */
export const firewallQuery = z.object({ type: z.enum(firewallKinds).default("ufw") }).strict();

/** The certificate Nexus is configured with (NEXUS_TLS_CERT), as Helm reads it. */
export const certificateSchema = z
  .union([
    z
      .object({ configured: z.literal(false) })
      .meta({ description: "NEXUS_TLS_CERT is unset: Nexus serves plain HTTP" }),
    z.object({
      configured: z.literal(true),
      file: z.string(),
      error: z.string().meta({ description: "Why the file could not be read as a certificate" }),
    }),
    z.object({
      configured: z.literal(true),
      file: z.string(),
      subject: z.string(),
      issuer: z.string(),
      alt_names: z.array(z.string()).meta({ description: 'Subject alternative names, e.g. "DNS:hm.example"' }),
      valid_from: z.iso.datetime(),
      valid_to: z.iso.datetime(),
      days_left: z.number().int().meta({ description: "Whole days until it expires; negative once it has" }),
      self_signed: z.boolean(),
      sha256: z.string().meta({ description: "The SHA-256 fingerprint" }),
    }),
  ])
  .meta({ id: "Certificate" });

export type CertificateInfo = z.infer<typeof certificateSchema>;
