import { createHash } from "node:crypto";
import { chmodSync, createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { finished } from "node:stream/promises";
import { Decrypter } from "age-encryption";
import { extract as tarExtract, type Header } from "tar-stream";
import { OperationRefused } from "./errors.ts";
import type { BackupKey } from "./key.ts";
import { MANIFEST_ENTRY, MANIFEST_MAC_ENTRY, type Manifest, verifiedManifest } from "./manifest.ts";
import { chunksOf, gunzip } from "./streams.ts";

/** One file of the archive as tar-stream hands it over (its Source type is not exported). */
type Entry = AsyncIterable<Buffer> & { header: Header };

/** The ciphertext opened with the key: a wrong key or a file that is not an archive is one line. */
async function decrypted(file: string, key: BackupKey): Promise<ReadableStream<Uint8Array>> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(key.identity);
  try {
    return await decrypter.decrypt(Bun.file(file).stream() as ReadableStream<Uint8Array>);
  } catch (e) {
    const message = (e as Error).message;
    if (/no identity matched/.test(message))
      throw new OperationRefused(`${file} was not made with the backup key ${key.file} (wrong key)`);
    throw new OperationRefused(`${file} is not a HiveMatrix backup, or its beginning is damaged (${message})`);
  }
}

async function readSmall(entry: Entry, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    size += chunk.length;
    if (size > limit) throw new OperationRefused(`the backup's ${entry.header.name} is implausibly large`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** Writes one entry under `staging`, refusing it unless its size and SHA-256 are the manifest's. */
async function extractFile(
  entry: Entry,
  expected: Manifest["files"][number],
  staging: string,
  count: (n: number) => void,
) {
  if (entry.header.type !== "file" || (entry.header.size ?? 0) !== expected.size)
    throw new OperationRefused(
      `the backup's ${expected.path} is not the ${expected.size}-byte file its manifest lists`,
    );
  const target = join(staging, expected.path);
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const out = createWriteStream(target, { mode: 0o600 });
  const hash = createHash("sha256");
  for await (const chunk of entry) {
    hash.update(chunk);
    count(chunk.length);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  out.end();
  await finished(out);
  chmodSync(target, expected.mode);
  if (hash.digest("hex") !== expected.sha256)
    throw new OperationRefused(`the backup's ${expected.path} does not match its checksum in the manifest (altered)`);
}

/**
 * Decrypts and unpacks an archive into `staging` (which must exist), checking everything against
 * its authenticated manifest: each file's size and SHA-256, nothing missing, nothing extra. Any
 * failure (wrong key, damage, truncation, an altered manifest or file) is an OperationRefused
 * whose message is the one line to show; the caller then removes `staging`.
 */
export async function readArchive(
  file: string,
  key: BackupKey,
  staging: string,
  onBytes: (done: number, total: number) => void,
): Promise<Manifest> {
  const plain = (await decrypted(file, key)).pipeThrough(gunzip());
  const extract = tarExtract();
  const feeding = (async () => {
    try {
      for await (const chunk of chunksOf(plain)) {
        // Reading stopped (a refused entry): stop decrypting too.
        if (extract.destroyed) return;
        if (!extract.write(Buffer.from(chunk)))
          await new Promise<void>((resolve) => {
            const go = () => {
              extract.off("drain", go);
              extract.off("close", go);
              resolve();
            };
            extract.on("drain", go);
            extract.on("close", go);
          });
      }
      // streamx's end takes optional last data, which its types call required.
      extract.end(undefined);
    } catch (e) {
      extract.destroy(e as Error);
    }
  })();
  let manifestBytes: Buffer | null = null;
  let manifest: Manifest | null = null;
  const pending = new Map<string, Manifest["files"][number]>();
  let done = 0;
  let total = 0;
  let completed = false;
  try {
    for await (const source of extract) {
      const entry = source as unknown as Entry;
      const name = entry.header.name;
      if (!manifestBytes) {
        if (name !== MANIFEST_ENTRY)
          throw new OperationRefused(`${file} is not a HiveMatrix backup (no manifest first)`);
        manifestBytes = await readSmall(entry, 64 * 1024 * 1024);
      } else if (!manifest) {
        if (name !== MANIFEST_MAC_ENTRY) throw new OperationRefused(`the backup's manifest is not authenticated`);
        manifest = verifiedManifest(manifestBytes, (await readSmall(entry, 1024)).toString("utf8"), key.manifestKey);
        for (const f of manifest.files) pending.set(f.path, f);
        total = manifest.files.reduce((sum, f) => sum + f.size, 0);
      } else {
        const expected = pending.get(name);
        if (!expected)
          throw new OperationRefused(`the backup holds ${name}, which its manifest does not list (altered)`);
        pending.delete(name);
        await extractFile(entry, expected, staging, (n) => onBytes((done += n), total));
      }
    }
    completed = true;
  } catch (e) {
    if (e instanceof OperationRefused) throw e;
    throw new OperationRefused(`${file} is damaged or incomplete: ${(e as Error).message} (truncated or altered)`);
  } finally {
    if (!completed) extract.destroy();
    await feeding;
  }
  if (!manifest) throw new OperationRefused(`${file} is damaged or incomplete: it ends before its manifest`);
  const missing = [...pending.keys()];
  if (missing.length)
    throw new OperationRefused(
      `${file} is incomplete: ${missing.length} file(s) of its manifest are missing (${missing[0]})`,
    );
  return manifest;
}
