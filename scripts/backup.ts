/**
 * `bun run backup [--to DIR]`: one encrypted archive of the whole install while it runs (README
 * "Backup and restore"). `bun run backup --init` creates the key backups are encrypted to.
 */
import { parseArgs } from "node:util";
import {
  createBackupKey,
  formatBytes as size,
  installLayout,
  loadBackupSettings,
  readBackupKey,
  runBackup,
} from "@hivematrix/lib/backup";
import { loadPlatformConfig } from "@hivematrix/lib/config";
import { parsed, runCommand } from "./ops/cli.ts";
import { progressLine } from "./ops/progress.ts";
import { resolve } from "node:path";

const USAGE = "bun run backup [--to DIR] | bun run backup --init";

await runCommand("backup", async () => {
  const { values } = parsed(
    () =>
      parseArgs({
        options: { to: { type: "string" }, init: { type: "boolean", default: false } },
        strict: true,
        allowPositionals: false,
      }),
    USAGE,
  );
  const config = loadPlatformConfig();
  const settings = loadBackupSettings(config);
  if (values.init) return init(settings.keyFile, settings.dir);

  const progress = progressLine();
  const result = await runBackup({
    layout: installLayout(config, process.env),
    settings,
    ...(values.to ? { to: resolve(values.to) } : {}),
    onProgress: (p) => progress.backup(p),
  }).catch((e) => {
    progress.clear();
    throw e;
  });
  progress.done();
  console.log(
    `Backed up to ${result.file}: ${size(result.bytes)} (${size(result.contentBytes)} of data: ` +
      `${result.databases.length} database${result.databases.length === 1 ? "" : "s"}, ${result.files} files) ` +
      `in ${(result.durationMs / 1000).toFixed(1)} s.`,
  );
  console.log(`It opens only with the key ${settings.keyFile}: keep a copy of that key off this machine.`);
});

async function init(keyFile: string, dir: string) {
  const existing = await readBackupKey(keyFile).catch(() => null);
  if (existing) {
    console.log(`The backup key is already set up: ${keyFile} (public key ${existing.recipient}). Nothing changed.`);
    return;
  }
  const key = await createBackupKey(keyFile);
  console.log(`Created the backup key ${key.file} (only you can read it; public key ${key.recipient}).

Every backup is encrypted to this key, and no backup can be restored without it:
  1. Copy it off this machine now (a password manager, or a USB key kept in a safe). If this
     machine is lost, that copy is the only way to open your backups.
  2. Never keep it with the backups: whoever has both can read every client's data.
It lives in your own settings folder, outside the install: not in HIVEMATRIX_HOME (which every
backup contains and a restore replaces) and not among the backups, so a copy of the backups is
useless on its own. HIVEMATRIX_BACKUP_KEY puts it elsewhere.

Backups go to ${dir} (HIVEMATRIX_BACKUP_DIR, or --to DIR). Make one now: bun run backup`);
}
