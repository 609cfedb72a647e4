import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { OperationRefused } from "./errors.ts";
import { formatBytes, sha256File } from "./files.ts";
import { homeContents, type InstallLayout } from "./layout.ts";
import type { Manifest } from "./manifest.ts";
import { inspectTarget, type PgTarget, suffixed } from "./pg-restore.ts";
import { type PgTool, pgTool } from "./pg-tools.ts";
import type { BackupSettings } from "./settings.ts";

export type Change = "added" | "replaced" | "removed" | "unchanged";

export interface SettingsRestore {
  name: string;
  /** The verified copy in the staging folder. */
  source: string;
  dest: string;
  mode: number;
  change: Change;
}

export interface PgRestore {
  target: PgTarget;
  dump: string;
  stagingName: string;
  keptName: string;
}

export interface RestorePlan {
  manifest: Manifest;
  layout: InstallLayout;
  staging: string;
  /** Where the current HIVEMATRIX_HOME (and replaced settings files) are kept. */
  keptHome: string;
  home: { path: string; change: Change; size: number }[];
  postgres: PgRestore[];
  settings: SettingsRestore[];
  pgRestore: PgTool | null;
}

async function compare(current: string, sha256: string): Promise<Change> {
  if (!existsSync(current)) return "added";
  return (await sha256File(current)) === sha256 ? "unchanged" : "replaced";
}

/**
 * Checks the install can take the backup as it is configured now (each app on the engine its
 * data is for, PostgreSQL targets reachable and idle) and works out what would change.
 */
export async function planRestore(
  manifest: Manifest,
  staging: string,
  layout: InstallLayout,
  settings: BackupSettings,
  stamp: string,
  dryRun: boolean,
): Promise<RestorePlan> {
  const apps = new Map(layout.databases.map((d) => [d.app, d]));
  const dumps = manifest.databases.filter((d) => d.engine === "postgres");
  for (const db of manifest.databases) {
    const here = apps.get(db.app);
    if (db.engine === "postgres" && !here?.url)
      throw new OperationRefused(
        `the backup holds ${db.app}'s PostgreSQL database (${db.source}), but ` +
          `${here?.variable ?? `${db.app.toUpperCase()}_DATABASE_URL`} ` +
          "is not set here: set it to the database to restore into (it may not exist yet)",
      );
    if (db.engine === "sqlite" && db.inUse && here?.url)
      throw new OperationRefused(
        `${db.app} used SQLite when the backup was made, but ${here.variable} is set here: unset it to ` +
          `restore this backup`,
      );
  }
  const pgRestore = dumps.length ? pgTool("pg_restore", settings.pgBin, dumps.map((d) => d.app).join(", ")) : null;
  const postgres: PgRestore[] = [];
  for (const db of dumps) {
    const target = await inspectTarget(apps.get(db.app)!, pgRestore!, db.dumpVersion ?? "0", !dryRun);
    postgres.push({
      target,
      dump: join(staging, db.path),
      stagingName: suffixed(target.name, `restoring_${stamp}`),
      keptName: suffixed(target.name, `before_restore_${stamp}`),
    });
  }

  const home: RestorePlan["home"] = [];
  const restored = new Set<string>();
  for (const f of manifest.files.filter((f) => f.path.startsWith("home/"))) {
    const rel = f.path.slice("home/".length);
    restored.add(rel);
    home.push({ path: rel, change: await compare(join(layout.home, rel), f.sha256), size: f.size });
  }
  const current = homeContents(layout.home);
  for (const rel of [...current.files, ...current.sqlite])
    if (!restored.has(rel)) home.push({ path: rel, change: "removed", size: statSync(join(layout.home, rel)).size });

  const keptHome = `${layout.home}.before-restore-${stamp}`;
  const settingsPlan: SettingsRestore[] = [];
  for (const s of manifest.settings) {
    const file = manifest.files.find((f) => f.path === s.path)!;
    const dest = s.name === "services.json" ? layout.servicesFile : join(layout.root, s.name);
    settingsPlan.push({
      name: s.name,
      source: join(staging, s.path),
      dest,
      mode: file.mode,
      change: await compare(dest, file.sha256),
    });
  }
  for (const dir of new Set([
    dirname(layout.home),
    ...settingsPlan.filter((s) => s.change !== "unchanged").map((s) => dirname(s.dest)),
  ]))
    if (!existsSync(dir)) throw new OperationRefused(`${dir} does not exist: create it, then restore`);
  return { manifest, layout, staging, keptHome, home, postgres, settings: settingsPlan, pgRestore };
}

/** What a restore changes, for people (`--dry-run` prints it; a restore prints it before it acts). */
export function describePlan(plan: RestorePlan): string[] {
  const { manifest, layout } = plan;
  const lines = [
    `Backup of ${manifest.createdAt} from ${manifest.host} (HiveMatrix ${manifest.version}), ` +
      `${manifest.files.length} files, verified.`,
    `HIVEMATRIX_HOME ${layout.home}${existsSync(layout.home) ? ` (the current one is kept as ${plan.keptHome})` : ""}:`,
  ];
  const unchanged = plan.home.filter((f) => f.change === "unchanged").length;
  for (const f of plan.home.filter((f) => f.change !== "unchanged"))
    lines.push(`  ${f.change.padEnd(9)} ${f.path} (${formatBytes(f.size)})`);
  if (unchanged) lines.push(`  unchanged ${unchanged} file${unchanged === 1 ? "" : "s"}`);
  for (const p of plan.postgres) {
    const where = `${p.target.name} (${p.target.db.variable})`;
    lines.push(
      p.target.exists
        ? `PostgreSQL: replaced  ${p.target.db.app}'s database ${where}; the current one is kept as ${p.keptName}`
        : `PostgreSQL: created   ${p.target.db.app}'s database ${where}`,
    );
  }
  for (const s of plan.settings) lines.push(`Settings:   ${s.change.padEnd(9)} ${s.dest}`);
  return lines;
}
