import { backupEvidence } from "../backups/evidence.ts";
import type { Deps } from "../deps.ts";
import { runAudit } from "./audit.ts";
import type { AuditReport } from "./json.ts";

/** The audit as Helm runs it: with what it knows of backups (the folder and its own records). */
export async function auditNow(deps: Pick<Deps, "config" | "settings" | "db">): Promise<AuditReport> {
  const backups = await backupEvidence(deps.settings.backup.dir, deps.db);
  return runAudit({ config: deps.config, env: deps.settings.env, backups });
}
