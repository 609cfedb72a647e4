import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { UploadRule } from "@hivematrix/lib/uploads";

/** A storage key is a random UUID: it alone names a file on disk, never anything a sender wrote. */
const STORAGE_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files a request may attach at once (a ticket's form, a reply's). */
export const MAX_FILES_PER_FORM = 10;

/**
 * Attachments' bytes on the file system, one file per attachment under HIVEMATRIX_HOME/data/
 * attachments/<first two characters of its key>/<key>. Uploads arrive in `incoming/` (same
 * file system, so keeping one is a rename) and backups leave that folder out.
 */
export class AttachmentStore {
  readonly dir: string;
  readonly incoming: string;
  readonly maxBytes: number;

  constructor(settings: { dir: string; maxBytes: number }) {
    this.dir = settings.dir;
    this.incoming = join(settings.dir, "incoming");
    this.maxBytes = settings.maxBytes;
  }

  /** How uploads to a route are received: into `incoming/`, up to the size limit, `files` at a time. */
  rule(files = MAX_FILES_PER_FORM): UploadRule {
    return { dir: this.incoming, maxFileBytes: this.maxBytes, maxFiles: files };
  }

  newKey(): string {
    return randomUUID();
  }

  pathOf(key: string): string {
    if (!STORAGE_KEY.test(key)) throw new Error(`not an attachment storage key: ${JSON.stringify(key)}`);
    return join(this.dir, key.slice(0, 2), key);
  }

  /** Moves a received upload into place under `key`. */
  async keep(temporary: string, key: string): Promise<void> {
    const path = this.pathOf(key);
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
    await rename(temporary, path);
  }

  /** The file of `key`, or null when it is not on disk (a row restored without its file, say). */
  async file(key: string): Promise<Bun.BunFile | null> {
    const file = Bun.file(this.pathOf(key));
    return (await file.exists()) ? file : null;
  }

  async remove(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
  }

  /**
   * Removes files no row names (left by a process that stopped between writing a file and its
   * row, or between deleting a row and its file) and abandoned uploads. Files younger than
   * `graceMs` are left alone: their rows may be being written right now.
   */
  async sweep(known: (keys: string[]) => Promise<Set<string>>, graceMs: number, now = Date.now()): Promise<number> {
    const old = (path: string) => stat(path).catch(() => null);
    let removed = 0;
    for (const path of await filesIn(this.incoming)) {
      const info = await old(path);
      if (info && info.mtimeMs < now - graceMs) removed += await removeFile(path);
    }
    for (const shard of await namesIn(this.dir)) {
      if (shard === "incoming") continue;
      const keys = (await namesIn(join(this.dir, shard))).filter((name) => STORAGE_KEY.test(name));
      const named = await known(keys);
      for (const key of keys.filter((name) => !named.has(name))) {
        const info = await old(this.pathOf(key));
        if (info && info.mtimeMs < now - graceMs) removed += await removeFile(this.pathOf(key));
      }
    }
    return removed;
  }
}

async function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function filesIn(dir: string): Promise<string[]> {
  return (await namesIn(dir)).map((name) => join(dir, name));
}

async function removeFile(path: string): Promise<number> {
  await rm(path, { force: true });
  return 1;
}
