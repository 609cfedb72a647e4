import { Decrypter, Encrypter } from "age-encryption";
import { extract as tarExtract, pack as tarPack } from "tar-stream";
import { readBackupKey } from "../backup/key.ts";
import { MANIFEST_ENTRY, MANIFEST_MAC_ENTRY, type Manifest, manifestMac } from "../backup/manifest.ts";
import { chunksOf, gunzip, gzip, streamFrom } from "../backup/streams.ts";

export interface ArchiveEntry {
  name: string;
  mode: number;
  data: Buffer;
}

/** Every entry of a backup archive, decrypted with the key file (test archives are small). */
export async function readArchiveEntries(file: string, keyFile: string): Promise<ArchiveEntry[]> {
  const key = await readBackupKey(keyFile);
  const decrypter = new Decrypter();
  decrypter.addIdentity(key.identity);
  const plain = (await decrypter.decrypt(Bun.file(file).stream() as ReadableStream<Uint8Array>)).pipeThrough(gunzip());
  const extract = tarExtract();
  const entries: ArchiveEntry[] = [];
  const reading = (async () => {
    for await (const source of extract) {
      const entry = source as unknown as AsyncIterable<Buffer> & { header: { name: string; mode: number } };
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk);
      entries.push({ name: entry.header.name, mode: entry.header.mode, data: Buffer.concat(parts) });
    }
  })();
  for await (const chunk of chunksOf(plain)) extract.write(Buffer.from(chunk));
  extract.end(undefined);
  await reading;
  return entries;
}

/**
 * Writes `entries` as an archive encrypted to the key, as someone who can encrypt to it (anyone
 * with its public key) would: a tampered backup. `resign` also authenticates the manifest with
 * the key itself, as a newer HiveMatrix holding the key would.
 */
export async function writeArchiveEntries(
  file: string,
  keyFile: string,
  entries: ArchiveEntry[],
  o: { resign?: boolean } = {},
): Promise<void> {
  const key = await readBackupKey(keyFile);
  const manifest = entries.find((e) => e.name === MANIFEST_ENTRY)!;
  const final = entries.map((e) =>
    o.resign && e.name === MANIFEST_MAC_ENTRY
      ? { ...e, data: Buffer.from(`${manifestMac(manifest.data, key.manifestKey)}\n`) }
      : e,
  );
  const pack = tarPack();
  for (const e of final) pack.entry({ name: e.name, mode: e.mode, size: e.data.length }, e.data);
  pack.finalize();
  const encrypter = new Encrypter();
  encrypter.addRecipient(key.recipient);
  const plain = streamFrom(pack as unknown as AsyncIterable<Uint8Array>).pipeThrough(gzip());
  await Bun.write(file, new Response(await encrypter.encrypt(plain)));
}

/** The manifest of a list of entries, parsed, and a copy of the list with it replaced. */
export function withManifest(entries: ArchiveEntry[], edit: (m: Manifest) => void): ArchiveEntry[] {
  return entries.map((e) => {
    if (e.name !== MANIFEST_ENTRY) return e;
    const manifest = JSON.parse(e.data.toString("utf8")) as Manifest;
    edit(manifest);
    return { ...e, data: Buffer.from(JSON.stringify(manifest, null, 2)) };
  });
}
