import { join } from "node:path";
import type { PlatformConfig } from "@hivematrix/lib/config";
import { runAudit } from "@hivematrix/helm/audit";

type Env = Record<string, string | undefined>;
type Finding = Awaited<ReturnType<typeof runAudit>>["findings"][number];

/**
 * High findings that make an install unsafe to run at all: anyone who can reach it, or any user
 * of the machine, could take it over with nothing else going wrong. Production refuses to start
 * with one (others, such as plain HTTP, need an attacker on the network, and are printed).
 */
export function isCritical(f: Finding, home: string): boolean {
  if (f.severity !== "high") return false;
  if (["idp.dev", "secret.weak", "keycloak.default-admin", "keycloak.default-user"].includes(f.check)) return true;
  // Signing keys or service secrets readable by other users: they can forge any token.
  return f.check === "permissions" && [join(home, "keys"), join(home, "secrets")].some((p) => f.title.startsWith(p));
}

export interface AuditVerdict {
  /** High findings not reported before, one line each, to print. */
  lines: string[];
  /** In production, what stops the start, one line each (finding and fix); empty otherwise. */
  refusals: string[];
}

/**
 * The security audit (Helm's) at `bun run start`: before anything starts, from configuration and
 * files alone; once everything is up, again with what really listens and whether the identity
 * provider still takes admin/admin. `seen` keeps a finding from being printed twice.
 */
export async function auditAtStart(
  config: PlatformConfig,
  env: Env,
  phase: "before" | "running",
  seen: Set<string>,
): Promise<AuditVerdict> {
  const report = await runAudit(
    phase === "before" ? { config, env, listeners: [], tryLogin: async () => false } : { config, env },
  );
  const verdict: AuditVerdict = { lines: [], refusals: [] };
  for (const f of report.findings.filter((f) => f.severity === "high")) {
    const key = `${f.check} ${f.title}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (config.env === "production" && isCritical(f, config.home))
      verdict.refusals.push(`critical security finding: ${f.title}. Fix: ${f.fix}`);
    else verdict.lines.push(`security audit: ${f.title}. Fix: ${f.fix}`);
  }
  return verdict;
}
