import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { appConfigFrom, type PlatformConfig } from "../config.ts";
import type { SettingsFileName } from "./manifest.ts";
import { isInside } from "./settings.ts";

type Env = Record<string, string | undefined>;

/** One app that may keep a database, and where its configuration puts it (as lib/config does). */
export interface AppDatabase {
  app: string;
  /** `<APP>_DATABASE_URL`, or null for the dev IdP (always SQLite). */
  variable: string | null;
  /** The postgres:// URL when the app runs on PostgreSQL. */
  url: string | null;
  sqlitePath: string;
}

/** Everything a backup reads and a restore writes, from the settings in force. */
export interface InstallLayout {
  root: string;
  home: string;
  servicesFile: string;
  databases: AppDatabase[];
}

/** Files Bun loads settings from in the install's folder (README "Configuration"). */
export const ENV_FILES = [".env", ".env.local", ".env.production", ".env.development"] as const;

/**
 * HIVEMATRIX_HOME's run-time folders: rebuilt at every start, never part of a backup. Uploads
 * still arriving (`data/attachments/incoming`) are not state either: no row names them yet.
 */
const NOT_STATE = new Set(["logs", "run", join("data", "attachments", "incoming")]);
/**
 * Files people uploaded (Codex's ticket attachments): kept byte for byte as plain files, whatever
 * they hold. One that happens to be an SQLite database is a file like any other, never snapshotted.
 */
const UPLOADED = join("data", "attachments");
const SQLITE_SIDE_FILES = /-(wal|shm|journal)$/;

export function installLayout(platform: PlatformConfig, env: Env): InstallLayout {
  const databases: AppDatabase[] = Object.keys(platform.services).map((name) => {
    const app = appConfigFrom(platform, name, env);
    return { app: name, variable: app.databaseVariable, url: app.databaseUrl, sqlitePath: app.sqlitePath };
  });
  if (!platform.idp.keycloakHome)
    databases.push({
      app: "dev-idp",
      variable: null,
      url: null,
      sqlitePath: join(platform.home, "data", "dev-idp.db"),
    });
  return { root: platform.root, home: platform.home, servicesFile: platform.servicesFile, databases };
}

export interface HomeContents {
  /** Plain files copied as they are (keys, secrets, anything else an app keeps), relative to home. */
  files: string[];
  /** SQLite databases, relative to home: copied as consistent snapshots. */
  sqlite: string[];
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(16);
    return readSync(fd, header, 0, 16, 0) === 16 && header.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}

const isUploaded = (rel: string) => rel.startsWith(`${UPLOADED}${sep}`);

/** What of HIVEMATRIX_HOME a backup holds: all of it but logs/ and run/, SQLite files apart. */
export function homeContents(home: string): HomeContents {
  const out: HomeContents = { files: [], sqlite: [] };
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(home, path);
      if (NOT_STATE.has(rel)) continue;
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && isUploaded(rel)) out.files.push(rel);
      // A write-ahead log or journal belongs to its database, whose snapshot already includes it.
      else if (stat.isFile() && !SQLITE_SIDE_FILES.test(name)) (isSqliteFile(path) ? out.sqlite : out.files).push(rel);
    }
  };
  if (existsSync(home)) walk(home);
  return out;
}

/** The settings files of the install that exist, by the name they are restored under. */
export function settingsFiles(layout: InstallLayout): { name: SettingsFileName; path: string }[] {
  const found: { name: SettingsFileName; path: string }[] = [];
  // A registry inside HIVEMATRIX_HOME comes back with the home itself.
  if (!isInside(layout.servicesFile, layout.home) && existsSync(layout.servicesFile))
    found.push({ name: "services.json", path: layout.servicesFile });
  for (const name of ENV_FILES) {
    const path = join(layout.root, name);
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) found.push({ name, path });
  }
  return found;
}
