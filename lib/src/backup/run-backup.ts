import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { VERSION } from "../version.ts";
import type { ArchiveFile } from "./archive-write.ts";
import { writeArchive } from "./archive-write.ts";
import { OperationRefused } from "./errors.ts";
import { copyIfPresent, copyPrivate, modeOf, sha256File, withLock } from "./files.ts";
import { readBackupKey } from "./key.ts";
import { homeContents, type InstallLayout, settingsFiles } from "./layout.ts";
import { type Manifest, manifestMac, type ManifestDatabase } from "./manifest.ts";
import { dumpPostgres } from "./pg-dump.ts";
import { databaseName, pgTool } from "./pg-tools.ts";
import { type BackupSettings, keyApartProblem } from "./settings.ts";
import { snapshotSqlite } from "./sqlite-snapshot.ts";

/** What a running backup is doing: copying one item (bytes, or tables for PostgreSQL), then archiving. */
export type BackupProgress =
  | { phase: "copy"; item: string; done: number; total: number; unit: "bytes" | "tables"; bytes: number }
  | { phase: "archive"; done: number; total: number };

export interface BackupOptions {
  layout: InstallLayout;
  settings: BackupSettings;
  /** The folder to write to; the settings' folder when absent. */
  to?: string;
  onProgress?: (p: BackupProgress) => void;
}

export interface BackupResult {
  file: string;
  /** The archive's size on disk. */
  bytes: number;
  /** What it holds, uncompressed. */
  contentBytes: number;
  createdAt: string;
  durationMs: number;
  databases: { app: string; engine: "sqlite" | "postgres"; bytes: number }[];
  files: number;
}

function archiveName(dir: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  for (let n = 1; ; n++) {
    const file = join(dir, `hivematrix-${stamp}${n > 1 ? `-${n}` : ""}.tar.gz.age`);
    if (!existsSync(file) && !existsSync(`${file}.partial`)) return file;
  }
}

function refuseSharedDatabases(layout: InstallLayout): void {
  const seen = new Map<string, string>();
  for (const db of layout.databases.filter((d) => d.url)) {
    const u = new URL(db.url!);
    const where = `${u.hostname}:${u.port || 5432}/${databaseName(db.url!)}`;
    const other = seen.get(where);
    if (other)
      throw new OperationRefused(`${other} and ${db.app} share the database ${where}: give each app its own database`);
    seen.set(where, db.app);
  }
}

/**
 * Backs up an install while it runs: every SQLite database as a consistent snapshot, every
 * PostgreSQL database with pg_dump, the rest of HIVEMATRIX_HOME (keys, secrets) and the settings
 * files, with a manifest (versions, sizes, SHA-256, time) authenticated with the backup key,
 * into one encrypted archive. Everything acknowledged before it began is in it. Progress goes to
 * `onProgress`; a refusal is an OperationRefused whose message is the line to show.
 */
export async function runBackup(o: BackupOptions): Promise<BackupResult> {
  const started = new Date();
  const { layout, settings } = o;
  const progress = o.onProgress ?? (() => {});
  const dest = o.to ?? settings.dir;
  const apart = keyApartProblem(settings.keyFile, dest, "the backup folder");
  if (apart) throw new OperationRefused(apart);
  if (!existsSync(layout.home))
    throw new OperationRefused(`HIVEMATRIX_HOME (${layout.home}) does not exist: there is nothing to back up`);
  const key = await readBackupKey(settings.keyFile);
  refuseSharedDatabases(layout);
  const onPostgres = layout.databases.filter((d) => d.url);
  const pgDump = onPostgres.length ? pgTool("pg_dump", settings.pgBin, onPostgres.map((d) => d.app).join(", ")) : null;
  try {
    mkdirSync(dest, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new OperationRefused(`cannot write backups to ${dest} (${(e as NodeJS.ErrnoException).code})`);
  }

  return withLock(join(layout.home, "run", "backup.lock"), "a backup of this install", async () => {
    const work = mkdtempSync(join(layout.home, "run", "backup-"));
    try {
      const files: (ArchiveFile & { sha256: string })[] = [];
      const databases: ManifestDatabase[] = [];
      const add = async (path: string, source: string, mode: number) =>
        files.push({ path, source, size: statSync(source).size, mode, sha256: await sha256File(source) });
      const contents = homeContents(layout.home);

      for (const rel of contents.sqlite) {
        const source = join(layout.home, rel);
        const target = join(work, "home", rel);
        mkdirSync(join(target, ".."), { recursive: true, mode: 0o700 });
        const snap = await snapshotSqlite(source, target, (done, total) =>
          progress({ phase: "copy", item: rel, done, total, unit: "bytes", bytes: done }),
        );
        await add(`home/${rel}`, target, modeOf(source));
        const app = layout.databases.find((d) => d.sqlitePath === source);
        databases.push({
          app: app?.app ?? basename(rel).replace(/\.db$/, ""),
          engine: "sqlite",
          path: `home/${rel}`,
          inUse: Boolean(app && !app.url),
          source,
          schema: snap.schema,
          serverVersion: null,
          dumpVersion: null,
        });
      }
      for (const rel of contents.files) {
        // An attachment deleted (with its ticket) since the home was listed is not part of the backup.
        if (!copyIfPresent(join(layout.home, rel), join(work, "home", rel))) continue;
        await add(`home/${rel}`, join(work, "home", rel), modeOf(join(work, "home", rel)));
      }
      for (const db of onPostgres) {
        const target = join(work, "postgres", `${db.app}.dump`);
        mkdirSync(join(work, "postgres"), { recursive: true, mode: 0o700 });
        const dump = await dumpPostgres(db, target, pgDump!, (p) =>
          progress({
            phase: "copy",
            item: `${db.app} (PostgreSQL)`,
            done: p.tablesDone,
            total: p.tables,
            unit: "tables",
            bytes: p.bytes,
          }),
        );
        await add(`postgres/${db.app}.dump`, target, 0o600);
        databases.push({
          app: db.app,
          engine: "postgres",
          path: `postgres/${db.app}.dump`,
          inUse: true,
          source: `${db.variable} (${new URL(db.url!).host}/${databaseName(db.url!)})`,
          schema: dump.schema,
          serverVersion: dump.serverVersion,
          dumpVersion: pgDump!.version,
        });
      }
      const settingsEntries = [];
      for (const s of settingsFiles(layout)) {
        copyPrivate(s.path, join(work, "settings", s.name));
        await add(`settings/${s.name}`, join(work, "settings", s.name), modeOf(s.path));
        settingsEntries.push({ path: `settings/${s.name}`, name: s.name });
      }

      const manifest: Manifest = {
        format: "hivematrix-backup/1",
        createdAt: started.toISOString(),
        version: VERSION,
        host: hostname(),
        home: layout.home,
        bun: Bun.version,
        files: files.map(({ path, size, sha256, mode }) => ({ path, size, sha256, mode })),
        databases,
        settings: settingsEntries,
      };
      const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
      const file = archiveName(dest, started);
      const bytes = await writeArchive({
        out: file,
        recipient: key.recipient,
        manifest: manifestBytes,
        mac: manifestMac(manifestBytes, key.manifestKey),
        files,
        onBytes: (done, total) => progress({ phase: "archive", done, total }),
      });
      return {
        file,
        bytes,
        contentBytes: files.reduce((sum, f) => sum + f.size, 0),
        createdAt: manifest.createdAt,
        durationMs: Date.now() - started.getTime(),
        databases: databases.map((d) => ({
          app: d.app,
          engine: d.engine,
          bytes: files.find((f) => f.path === d.path)!.size,
        })),
        files: files.length,
      };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
