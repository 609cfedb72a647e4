import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ReceivedUpload } from "./rules.ts";

/** A new temporary file's path in `dir` (created, private to this user), named by a random id, never by the sender. */
export function temporaryPath(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `${randomUUID()}.part`);
}

/**
 * Writes `chunks` to a new file at `path` while hashing them. More than `maxBytes` stops the
 * write and removes the file (null); so does any failure, which is thrown on.
 */
export async function writeChunks(
  chunks: AsyncIterable<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<{ size: number; sha256: string } | null> {
  const file = await open(path, "wx", 0o600);
  const hash = new Bun.CryptoHasher("sha256");
  let size = 0;
  let kept = false;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > maxBytes) return null;
      hash.update(chunk);
      await file.write(chunk);
    }
    kept = true;
    return { size, sha256: hash.digest("hex") };
  } finally {
    await file.close();
    if (!kept) await rm(path, { force: true });
  }
}

/** Removes the temporary files of an upload the app did not move elsewhere. */
export async function discardUpload(upload: ReceivedUpload | undefined): Promise<void> {
  if (upload) await Promise.all(upload.files.map((file) => rm(file.path, { force: true })));
}
