// Backup and restore of a whole install (README "Backup and restore"): the CLIs in scripts/ use
// this, and Helm can run runBackup in its own process (it reports progress and its result).
export { OperationRefused } from "./errors.ts";
export { formatBytes } from "./files.ts";
export { createBackupKey, readBackupKey, type BackupKey } from "./key.ts";
export { installLayout, type InstallLayout } from "./layout.ts";
export { loadBackupSettings, type BackupSettings } from "./settings.ts";
export { runBackup, type BackupOptions, type BackupProgress, type BackupResult } from "./run-backup.ts";
export { runRestore, type RestoreOptions, type RestoreOutcome } from "./run-restore.ts";
