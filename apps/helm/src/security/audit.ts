import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PlatformConfig } from "@hivematrix/lib/config";
import { hostPort, isLoopback, type Listener, listeningSockets } from "../system/proc.ts";
import { knownUnits } from "../system/units.ts";
import type { BackupEvidence } from "../backups/evidence.ts";
import { isPrivateAddress } from "@hivematrix/lib/private-address";
import { permissionFindings, secretFindings } from "./audit-files.ts";
import { type Resolve, remoteInstanceFindings } from "./audit-remote.ts";
import { backupFindings, certificateFindings } from "./audit-ops.ts";
import { nexusCertificate } from "./certificate.ts";
import { type AuditReport, type Binding, type Finding, SEVERITIES } from "./json.ts";

type Env = Record<string, string | undefined>;

export interface AuditInput {
  config: PlatformConfig;
  env: Env;
  listeners?: Listener[];
  /** Tries a password login at the identity provider; true when it is accepted. */
  tryLogin?: (realm: string, username: string, password: string) => Promise<boolean>;
  /** What is known of backups; left out (the start-up check), backups are not looked at. */
  backups?: BackupEvidence;
  /** Resolves the hosts of apps on other machines (tests give their own). */
  resolve?: Resolve;
}

/** Keycloak's password grant with its built-in public `admin-cli` client. */
function keycloakLoginProbe(idpUrl: string) {
  return async (realm: string, username: string, password: string): Promise<boolean> => {
    try {
      const res = await fetch(`${idpUrl}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username, password }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json().catch(() => null)) as { access_token?: unknown } | null;
      return res.ok && typeof body?.access_token === "string";
    } catch {
      return false;
    }
  };
}

/** Every port HiveMatrix listens on, with what sets its address: Keycloak's management port follows KEYCLOAK_URL. */
function portsOf(config: PlatformConfig) {
  // Apps on other hosts listen there, not here (remoteInstanceFindings checks where they are).
  const remote = new Set(
    Object.values(config.services)
      .filter((s) => s.remote)
      .map((s) => s.name),
  );
  return knownUnits(config).flatMap((unit) => {
    if (remote.has(unit.name)) return [];
    const setting =
      unit.name === "idp" ? "KEYCLOAK_URL's host (127.0.0.1)" : `"host": "127.0.0.1" for ${unit.name} in services.json`;
    const own = { name: unit.name, host: unit.host, port: unit.port, setting };
    return unit.managementPort ? [own, { ...own, name: `${unit.name} management`, port: unit.managementPort }] : [own];
  });
}

function bindingsOf(config: PlatformConfig, listeners: Listener[]): { bindings: Binding[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const bindings: Binding[] = [];
  for (const unit of portsOf(config)) {
    const public_ = unit.name === "nexus";
    const sockets = listeners.filter((l) => l.port === unit.port);
    const listening = [...new Set(sockets.map((l) => hostPort(l.address, l.port)))];
    // An app that Nexus on another host reaches binds this host's private-network address, and only that.
    const privateHost = !public_ && isPrivateAddress(unit.host);
    const beyondLoopback = sockets.filter((l) => !isLoopback(l.address) && !(privateHost && l.address === unit.host));
    const verdict: Binding["verdict"] =
      sockets.length === 0 ? "not running" : beyondLoopback.length ? (public_ ? "public" : "exposed") : "loopback";
    if (!public_ && beyondLoopback.length) {
      const where = beyondLoopback.map((l) => hostPort(l.address, l.port)).join(", ");
      findings.push({
        check: "binding.exposed",
        severity: "high",
        title: `${unit.name} listens beyond loopback on ${where}`,
        detail:
          `Only Nexus may be reachable from other machines; ${unit.name} must bind 127.0.0.1 and be reached` +
          " through Nexus, which checks every request's session.",
        fix:
          `Set ${unit.setting} (or stop whatever else listens on port ${unit.port}) and restart it;` +
          " the firewall script below blocks the port meanwhile.",
      });
    } else if (privateHost) {
      findings.push({
        check: "binding.private",
        severity: "info",
        title: `${unit.name} binds the private-network address ${unit.host}`,
        detail: "For Nexus on another host; any machine of that network can reach it.",
        fix: `Let only the Nexus hosts reach port ${unit.port} (README "Running on several machines").`,
      });
    } else if (!public_ && !isLoopback(unit.host) && unit.host !== "localhost") {
      findings.push({
        check: "binding.configured",
        severity: "high",
        title: `${unit.name} is configured to bind ${unit.host}`,
        detail: `Its next start would make it reachable from other machines without going through Nexus.`,
        fix: `Set ${unit.setting}.`,
      });
    }
    bindings.push({ service: unit.name, port: unit.port, configured: unit.host, listening, verdict });
  }
  return { bindings, findings };
}

async function identityFindings(
  config: PlatformConfig,
  tryLogin: NonNullable<AuditInput["tryLogin"]>,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (!config.idp.keycloakHome) {
    findings.push({
      check: "idp.dev",
      severity: config.env === "production" ? "high" : "info",
      title: "The dev identity provider is in use",
      detail:
        "Its users (admin/admin, tech/tech, billing/billing, client/client) have public passwords." +
        " It is meant for development only.",
      fix: 'Install Keycloak and set KEYCLOAK_HOME (README "Real Keycloak").',
    });
    return findings;
  }
  const secretFile = join(config.home, "secrets", "keycloak-admin.secret");
  if (!existsSync(secretFile)) {
    findings.push({
      check: "keycloak.admin-secret",
      severity: "medium",
      title: `${secretFile} is missing`,
      detail:
        "Keycloak's bootstrap admin password is generated into this file on the first `bun run start`;" +
        " without it the admin password was set some other way and cannot be checked here.",
      fix: "Make sure the master realm admin has a strong password.",
    });
  }
  if (await tryLogin("master", "admin", "admin")) {
    findings.push({
      check: "keycloak.default-admin",
      severity: "high",
      title: "Keycloak's master admin still signs in with admin / admin",
      detail: "Whoever reaches Keycloak can take over every realm, user and client.",
      fix: "Change the master realm admin's password in Keycloak's admin console.",
    });
  }
  if (await tryLogin(config.idp.realm, "admin", "admin")) {
    findings.push({
      check: "keycloak.default-user",
      severity: "high",
      title: `The ${config.idp.realm} realm's user admin still has the password admin`,
      detail: "That user is in the admins group: full control of HiveMatrix.",
      fix: "Change that user's password (or delete the user) in Keycloak.",
    });
  }
  return findings;
}

function tlsFindings(config: PlatformConfig, env: Env): Finding[] {
  if (config.env !== "production" || !config.services.nexus) return [];
  const findings: Finding[] = [];
  const publicUrl = env.NEXUS_PUBLIC_URL ?? "";
  if (!publicUrl.startsWith("https://")) {
    findings.push({
      check: "tls.public-url",
      severity: "high",
      title: "Nexus's public address is not https",
      detail:
        `HIVEMATRIX_ENV=production but NEXUS_PUBLIC_URL is ${publicUrl ? `"${publicUrl}"` : "unset"}:` +
        " session cookies and passwords would cross the network in clear text.",
      fix:
        "Set NEXUS_PUBLIC_URL=https://<your host>, and NEXUS_TLS_CERT / NEXUS_TLS_KEY" +
        " (or put a TLS-terminating proxy in front of Nexus).",
    });
  }
  if (!env.NEXUS_TLS_CERT && publicUrl.startsWith("https://")) {
    findings.push({
      check: "tls.terminated-elsewhere",
      severity: "info",
      title: "Nexus serves plain HTTP; TLS must be terminated in front of it",
      detail:
        "NEXUS_PUBLIC_URL is https but NEXUS_TLS_CERT is unset, so a reverse proxy must provide TLS and" +
        " Nexus's own port must not be reachable from other machines.",
      fix: "Either set NEXUS_TLS_CERT and NEXUS_TLS_KEY, or firewall Nexus's port to the proxy only.",
    });
  }
  return findings;
}

/**
 * The security audit behind Helm's Security page and `bun run audit`: real listening addresses
 * (only Nexus beyond loopback), weak or default secrets and passwords, TLS in production and
 * Nexus's certificate, permissions of keys, secrets and the control socket, and backups.
 */
export async function runAudit(input: AuditInput): Promise<AuditReport> {
  const { config, env } = input;
  const { bindings, findings } = bindingsOf(config, input.listeners ?? listeningSockets());
  findings.push(...secretFindings(config, env));
  findings.push(...(await identityFindings(config, input.tryLogin ?? keycloakLoginProbe(config.idp.url))));
  findings.push(...tlsFindings(config, env));
  if (config.services.nexus) findings.push(...certificateFindings(nexusCertificate(config, env)));
  if (input.backups) findings.push(...backupFindings(input.backups, config.env === "production"));
  findings.push(...permissionFindings(config.home));
  findings.push(...(await remoteInstanceFindings(config, input.resolve)));
  const nexus = bindings.find((b) => b.service === "nexus");
  if (nexus && config.env === "production" && nexus.verdict === "loopback") {
    findings.push({
      check: "binding.nexus-loopback",
      severity: "low",
      title: "Nexus only listens on loopback",
      detail: "Users on other machines cannot reach HiveMatrix unless a reverse proxy on this machine forwards to it.",
      fix: 'Give nexus "host": "0.0.0.0" in services.json, or put a reverse proxy in front of it.',
    });
  }
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    at: new Date().toISOString(),
    findings,
    bindings,
    worst: findings.find((f) => f.severity !== "info")?.severity ?? null,
  };
}
