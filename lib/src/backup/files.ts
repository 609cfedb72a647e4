import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { OperationRefused } from "./errors.ts";
import { fileChunks } from "./streams.ts";

export async function sha256File(path: string): Promise<string> {
  const hash = new Bun.CryptoHasher("sha256");
  for await (const chunk of fileChunks(path)) hash.update(chunk);
  return hash.digest("hex");
}

/** Copies a file into a private work folder, creating its parents (mode 0700). */
export function copyPrivate(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  copyFileSync(source, target);
}

/** As copyPrivate, for a file that may have been deleted since it was listed: whether it was there to copy. */
export function copyIfPresent(source: string, target: string): boolean {
  try {
    copyPrivate(source, target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Holds `path` (O_EXCL, with this pid) while `fn` runs, so two backups of one install (a terminal's
 * and Helm's, say) never run at once; a lock left by a process that died is taken over.
 */
export async function withLock<T>(path: string, what: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const holder = Number(readFileSync(path, "utf8").trim());
      // An empty lock is one being written this very moment.
      if (!holder || pidAlive(holder)) throw new OperationRefused(`${what} is already running (process ${holder})`);
      rmSync(path, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

/** A size for people: 512 B, 3.4 KB, 12.5 MB, 1.20 GB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
