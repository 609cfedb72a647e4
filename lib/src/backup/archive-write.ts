import { chmodSync, renameSync, rmSync } from "node:fs";
import { Encrypter } from "age-encryption";
import { pack as tarPack, type Pack } from "tar-stream";
import { MANIFEST_ENTRY, MANIFEST_MAC_ENTRY } from "./manifest.ts";
import { fileChunks, gzip, streamFrom } from "./streams.ts";

export interface ArchiveFile {
  /** Its path inside the archive (the manifest's). */
  path: string;
  /** Where it is read from now. */
  source: string;
  size: number;
  mode: number;
}

export interface ArchiveInput {
  out: string;
  recipient: string;
  manifest: Uint8Array;
  mac: string;
  files: ArchiveFile[];
  onBytes: (done: number, total: number) => void;
}

/** Waits until the entry's buffer has room (streamx's backpressure). */
function drained(stream: { once(event: "drain", fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => stream.once("drain", () => resolve()));
}

function addBytes(pack: Pack, name: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    pack.entry({ name, size: bytes.length, mode: 0o600 }, Buffer.from(bytes), (e) => (e ? reject(e) : resolve())),
  );
}

async function feed(pack: Pack, input: ArchiveInput, total: number): Promise<void> {
  // The manifest goes first, so a restore knows what to expect before reading any data.
  await addBytes(pack, MANIFEST_ENTRY, input.manifest);
  await addBytes(pack, MANIFEST_MAC_ENTRY, new TextEncoder().encode(`${input.mac}\n`));
  let done = 0;
  for (const file of input.files) {
    let finished!: Promise<void>;
    const entry = await new Promise<ReturnType<Pack["entry"]>>((resolveEntry) => {
      finished = new Promise((resolve, reject) => {
        resolveEntry(
          pack.entry({ name: file.path, size: file.size, mode: file.mode }, (e) => (e ? reject(e) : resolve())),
        );
      });
    });
    for await (const chunk of fileChunks(file.source)) {
      done += chunk.length;
      input.onBytes(done, total);
      if (!entry.write(Buffer.from(chunk))) await drained(entry);
    }
    // streamx's end takes optional last data, which its types call required.
    entry.end(undefined);
    await finished;
  }
  pack.finalize();
}

/**
 * Writes the archive: a tar (tar-stream) of the manifest, its MAC and every file, gzip-compressed,
 * encrypted with age to the backup key's recipient, streamed to `out` (written under a temporary
 * name and renamed when complete, so a failed backup never leaves a file that looks like one).
 * `age -d -i <key> <file> | tar -xz` opens it without HiveMatrix.
 */
export async function writeArchive(input: ArchiveInput): Promise<number> {
  const total = input.files.reduce((sum, f) => sum + f.size, 0);
  const pack = tarPack();
  // The first error of the side that adds files, reported instead of the stream's echo of it.
  const feeding = feed(pack, input, total).then(
    () => null,
    (e: Error) => {
      pack.destroy(e);
      return e;
    },
  );
  const encrypter = new Encrypter();
  encrypter.addRecipient(input.recipient);
  const plain = streamFrom(pack as unknown as AsyncIterable<Uint8Array>).pipeThrough(gzip());
  const partial = `${input.out}.partial`;
  try {
    const written = await Bun.write(partial, new Response(await encrypter.encrypt(plain)));
    const failed = await feeding;
    if (failed) throw failed;
    chmodSync(partial, 0o600);
    renameSync(partial, input.out);
    return written;
  } catch (e) {
    rmSync(partial, { force: true });
    throw (await feeding) ?? e;
  }
}
