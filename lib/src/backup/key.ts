import { hkdfSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { OperationRefused } from "./errors.ts";

export interface BackupKey {
  file: string;
  /** `AGE-SECRET-KEY-1…`: decrypts archives. */
  identity: string;
  /** `age1…`: what archives are encrypted to. */
  recipient: string;
  /** Authenticates each archive's manifest, so a manifest re-encrypted by someone else is refused. */
  manifestKey: Buffer;
}

const IDENTITY_LINE = /^AGE-SECRET-KEY-1[0-9A-Z]+$/;

/**
 * Writes a new key in age-keygen's file format (so `age -d -i <file>` opens an archive without
 * HiveMatrix), private to this user. Never replaces an existing key: archives made with it could
 * no longer be opened.
 */
export async function createBackupKey(file: string, now = new Date()): Promise<BackupKey> {
  if (existsSync(file)) throw new OperationRefused(`a backup key already exists at ${file}; it is kept as it is`);
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(
      file,
      [
        "# HiveMatrix backup key: every backup is encrypted to it, and no backup opens without it.",
        `# created: ${now.toISOString()}`,
        `# public key: ${recipient}`,
        identity,
        "",
      ].join("\n"),
      { mode: 0o600, flag: "wx" },
    );
    chmodSync(file, 0o600);
  } catch (e) {
    const { code } = e as NodeJS.ErrnoException;
    throw new OperationRefused(`cannot write the backup key ${file} (${code}): choose a folder this user may write`);
  }
  return keyOf(file, identity, recipient);
}

/** Reads the key a backup is made or opened with; one line saying what to do when it cannot. */
export async function readBackupKey(file: string): Promise<BackupKey> {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new OperationRefused(`the backup key ${file} is a folder, not a key file`);
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof OperationRefused) throw e;
    const { code } = e as NodeJS.ErrnoException;
    if (code === "ENOENT")
      throw new OperationRefused(
        `no backup key at ${file}: run \`bun run backup --init\` once (or, to restore, pass --key with the ` +
          `key you kept)`,
      );
    throw new OperationRefused(`cannot read the backup key ${file} (${code})`);
  }
  const identity = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => IDENTITY_LINE.test(l));
  if (!identity) throw new OperationRefused(`${file} holds no age key (a line AGE-SECRET-KEY-1…)`);
  let recipient: string;
  try {
    recipient = await identityToRecipient(identity);
  } catch {
    throw new OperationRefused(`${file} holds a damaged age key`);
  }
  return keyOf(file, identity, recipient);
}

function keyOf(file: string, identity: string, recipient: string): BackupKey {
  const manifestKey = Buffer.from(hkdfSync("sha256", identity, "hivematrix-backup", "manifest authentication", 32));
  return { file, identity, recipient, manifestKey };
}
