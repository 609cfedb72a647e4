import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError, IDENTITY_PROVIDER, type PlatformConfig } from "./config.ts";

/**
 * Creates HIVEMATRIX_HOME's folders if missing; keys/, secrets/, run/ (the control socket),
 * data/ (databases) and logs/ are private to this user (Helm's audit checks the same).
 */
export function ensureHome(home: string): void {
  if (existsSync(home) && !statSync(home).isDirectory())
    throw new ConfigError(`HIVEMATRIX_HOME=${home} is a file, not a folder: move it away or set HIVEMATRIX_HOME`);
  try {
    mkdirSync(home, { recursive: true });
    for (const dir of ["keys", "secrets", "run", "data", "logs"]) {
      const path = join(home, dir);
      if (existsSync(path) && !statSync(path).isDirectory())
        throw new ConfigError(`${path} is a file, not a folder (HIVEMATRIX_HOME=${home}): move it away`);
      mkdirSync(path, { recursive: true, mode: 0o700 });
      chmodSync(path, 0o700);
      accessSync(path, constants.W_OK);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const { code, path } = e as NodeJS.ErrnoException;
    throw new ConfigError(
      `HIVEMATRIX_HOME=${home} cannot be used by this user (${code} on ${path ?? home}): give it a folder this user owns and may write`,
    );
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

/**
 * The secrets HiveMatrix generates with readOrCreateSecret: each service's and the identity
 * provider's (serviceSecret), the identity provider client's and Keycloak's bootstrap admin
 * password (scripts/start.ts), Nexus's cookie key (apps/nexus) and the dev IdP's (apps/dev-idp).
 * Anything else in secrets/ was handed to HiveMatrix, such as a vendor's API key as the vendor
 * issued it, so its length is not ours to judge.
 */
export function generatedSecretNames(config: Pick<PlatformConfig, "services" | "idp">): Set<string> {
  return new Set([
    ...[IDENTITY_PROVIDER, ...Object.keys(config.services)].map((name) => `service-${name}`),
    config.idp.clientId,
    "keycloak-admin",
    "nexus-cookie",
    "dev-idp-cookie",
  ]);
}
