import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { readArchive } from "./archive-read.ts";
import { OperationRefused } from "./errors.ts";
import { readBackupKey } from "./key.ts";
import type { InstallLayout } from "./layout.ts";
import { applyRestore } from "./restore-apply.ts";
import { describePlan, planRestore } from "./restore-plan.ts";
import { checkSchemas } from "./schema.ts";
import type { BackupSettings } from "./settings.ts";

export interface RestoreOptions {
  file: string;
  layout: InstallLayout;
  settings: BackupSettings;
  /** The key file to open the archive with (`--key`), else the settings' key. */
  keyFile?: string;
  /** Verify and say what would change, but change nothing. */
  dryRun: boolean;
  /** Bytes unpacked and verified so far, of the archive's total. */
  onProgress?: (done: number, total: number) => void;
  /** Called with what will change once the archive is verified, before anything changes. */
  onPlan?: (lines: string[]) => void;
}

export interface RestoreOutcome {
  applied: boolean;
  /** Where what the restore replaced is kept (null when it replaced nothing). */
  keptHome: string | null;
  keptDatabases: string[];
}

const compactStamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .replace("T", "");

/**
 * Restores an archive into a stopped install (the caller checks that nothing runs): it is
 * decrypted and unpacked into a staging folder beside HIVEMATRIX_HOME and verified in full
 * (manifest authenticity, every checksum, schema versions, targets) before anything changes;
 * then applyRestore swaps it in. Every refusal is one OperationRefused line and leaves the
 * install, its databases and settings exactly as they were.
 */
export async function runRestore(o: RestoreOptions): Promise<RestoreOutcome> {
  const stat = statSync(o.file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new OperationRefused(`${o.file} is not a file`);
  const key = await readBackupKey(o.keyFile ?? o.settings.keyFile);
  const stamp = compactStamp(new Date());
  const staging = `${o.layout.home}.restore-${stamp}`;
  if (!existsSync(dirname(o.layout.home)))
    throw new OperationRefused(`${dirname(o.layout.home)} (HIVEMATRIX_HOME's folder) does not exist: create it first`);
  try {
    mkdirSync(staging, { mode: 0o700 });
  } catch (e) {
    throw new OperationRefused(
      `cannot stage the restore in ${dirname(staging)} (${(e as NodeJS.ErrnoException).code}): ` +
        `HIVEMATRIX_HOME's folder must be writable`,
    );
  }
  try {
    const manifest = await readArchive(o.file, key, staging, o.onProgress ?? (() => {}));
    checkSchemas(manifest, o.layout.root);
    const plan = await planRestore(manifest, staging, o.layout, o.settings, stamp, o.dryRun);
    o.onPlan?.(describePlan(plan));
    if (o.dryRun) return { applied: false, keptHome: null, keptDatabases: [] };
    await applyRestore(plan);
    return {
      applied: true,
      keptHome: existsSync(plan.keptHome) ? plan.keptHome : null,
      keptDatabases: plan.postgres.filter((p) => p.target.exists).map((p) => p.keptName),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
