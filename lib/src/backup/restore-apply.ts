import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { ensureHome } from "../secrets.ts";
import { OperationRefused } from "./errors.ts";
import { dropDatabase, renameDatabase, restoreIntoStaging } from "./pg-restore.ts";
import type { RestorePlan } from "./restore-plan.ts";

type Undo = () => Promise<unknown> | unknown;

/** Renames a file or folder, or one line saying why it could not. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    const { code } = e as NodeJS.ErrnoException;
    const hint =
      code === "EXDEV" || code === "EBUSY" ? " (is HIVEMATRIX_HOME a mount point? mount its parent instead)" : "";
    throw new OperationRefused(`cannot move ${from} to ${to} (${code})${hint}`);
  }
}

/**
 * Puts a verified, planned restore in place. Slow work happens first and touches nothing in use
 * (each PostgreSQL dump goes into a new database); then quick renames swap the staged home and
 * databases in, keeping what they replace. If any step fails, the steps already done are undone
 * in reverse, so the install is as it was.
 */
export async function applyRestore(plan: RestorePlan): Promise<void> {
  const staged: RestorePlan["postgres"] = [];
  try {
    for (const p of plan.postgres) {
      await restoreIntoStaging(p.target, p.stagingName, p.dump, plan.pgRestore!);
      staged.push(p);
    }
  } catch (e) {
    for (const p of staged) await dropDatabase(p.target, p.stagingName);
    throw e;
  }

  const undo: Undo[] = [];
  try {
    const home = plan.layout.home;
    if (existsSync(home)) {
      move(home, plan.keptHome);
      undo.push(() => move(plan.keptHome, home));
    }
    move(join(plan.staging, "home"), home);
    undo.push(() => move(home, join(plan.staging, "home")));
    ensureHome(home);

    for (const p of plan.postgres) {
      if (p.target.exists) {
        await renameDatabase(p.target, p.target.name, p.keptName);
        undo.push(() => renameDatabase(p.target, p.keptName, p.target.name));
      }
      await renameDatabase(p.target, p.stagingName, p.target.name);
      undo.push(() => renameDatabase(p.target, p.target.name, p.stagingName));
    }

    const replaced = join(plan.keptHome, "settings-before-restore");
    for (const s of plan.settings.filter((s) => s.change !== "unchanged")) {
      const previous = join(replaced, basename(s.dest));
      const existed = existsSync(s.dest);
      if (existed) {
        mkdirSync(replaced, { recursive: true, mode: 0o700 });
        copyFileSync(s.dest, previous);
      }
      const incoming = `${s.dest}.restoring`;
      copyFileSync(s.source, incoming);
      chmodSync(incoming, s.mode);
      move(incoming, s.dest);
      undo.push(() => (existed ? copyFileSync(previous, s.dest) : rmSync(s.dest, { force: true })));
    }
  } catch (e) {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // Undo as much as can be undone; the error that stopped the restore is the one to report.
      }
    }
    for (const p of plan.postgres) await dropDatabase(p.target, p.stagingName);
    throw e;
  }
}
