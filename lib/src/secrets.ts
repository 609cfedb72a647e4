import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Creates HIVEMATRIX_HOME's folders if missing; keys/, secrets/, run/ (the control socket),
 * data/ (databases) and logs/ are private to this user (Helm's audit checks the same).
 */
export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true });
  for (const dir of ["keys", "secrets", "run", "data", "logs"]) {
    mkdirSync(join(home, dir), { recursive: true, mode: 0o700 });
    chmodSync(join(home, dir), 0o700);
  }
}

export function secretPath(home: string, name: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`bad secret name ${name}`);
  return join(home, "secrets", `${name}.secret`);
}

/** Writes a file only its owner can read, atomically enough for a first start. */
export function writePrivateFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
}

/** Returns the named secret, generating a random one (mode 0600) the first time. */
export function readOrCreateSecret(home: string, name: string, bytes = 32): string {
  const path = secretPath(home, name);
  if (!existsSync(path)) {
    try {
      writePrivateFile(path, `${randomBytes(bytes).toString("base64url")}\n`);
    } catch (e) {
      // Another process created it first: theirs wins.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return readSecret(home, name);
}

export function readSecret(home: string, name: string): string {
  const value = readFileSync(secretPath(home, name), "utf8").trim();
  if (!value) throw new Error(`secret ${secretPath(home, name)} is empty`);
  return value;
}

/** The secret a service uses to authenticate to Core's /service-token. */
export function serviceSecret(home: string, service: string): string {
  return readOrCreateSecret(home, `service-${service}`);
}
