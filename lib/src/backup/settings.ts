import { homedir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, type PlatformConfig } from "../config.ts";
import { envText, readEnv } from "../settings.ts";

type Env = Record<string, string | undefined>;

export interface BackupSettings {
  /** Where `bun run backup` writes archives unless told `--to`: HIVEMATRIX_BACKUP_DIR. */
  dir: string;
  /** The age identity archives are encrypted to: HIVEMATRIX_BACKUP_KEY. */
  keyFile: string;
  /** A folder holding pg_dump and pg_restore (HIVEMATRIX_PG_BIN), else they are looked up on PATH. */
  pgBin: string | null;
}

const backupEnv = z.object({
  HIVEMATRIX_BACKUP_DIR: envText(),
  HIVEMATRIX_BACKUP_KEY: envText(),
  HIVEMATRIX_PG_BIN: envText(),
});

/** Whether `path` is `folder` or anything below it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * The backup settings, read once at start-up. The key lives in the user's own configuration
 * folder by default: not in HIVEMATRIX_HOME (which the backups contain and a restore replaces)
 * and not among the backups (whoever gets a copy of them must not get the key with it).
 */
export function loadBackupSettings(
  config: Pick<PlatformConfig, "root" | "home">,
  env: Env = process.env,
): BackupSettings {
  const own = readEnv(backupEnv, env);
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  const settings: BackupSettings = {
    dir: resolve(config.root, own.HIVEMATRIX_BACKUP_DIR ?? "backups"),
    keyFile: resolve(config.root, own.HIVEMATRIX_BACKUP_KEY ?? join(configHome, "hivematrix", "backup-key.txt")),
    pgBin: own.HIVEMATRIX_PG_BIN ? resolve(config.root, own.HIVEMATRIX_PG_BIN) : null,
  };
  if (isInside(settings.keyFile, config.home))
    throw new ConfigError(
      `HIVEMATRIX_BACKUP_KEY (${settings.keyFile}) is inside HIVEMATRIX_HOME, which every backup contains: ` +
        `keep the key elsewhere`,
    );
  if (isInside(settings.dir, config.home))
    throw new ConfigError(
      `HIVEMATRIX_BACKUP_DIR (${settings.dir}) is inside HIVEMATRIX_HOME: backups there are lost with it and ` +
        `would back up each other`,
    );
  const apart = keyApartProblem(settings.keyFile, settings.dir, "HIVEMATRIX_BACKUP_DIR");
  if (apart) throw new ConfigError(apart);
  return settings;
}

/** Why a backup folder may not be used: holding the key, a copy of the backups would carry what opens them. */
export function keyApartProblem(keyFile: string, dir: string, what: string): string | null {
  return isInside(keyFile, dir)
    ? `${what} (${dir}) holds the backup key ${keyFile}: whoever copies the backups would get the key too; ` +
        `choose another folder`
    : null;
}
