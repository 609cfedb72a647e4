import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from "jose";
import { writePrivateFile } from "@hivematrix/lib/secrets";

interface Manifest {
  current: string;
  previous: string | null;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Core's RSA signing keys under HIVEMATRIX_HOME/keys: `core-<kid>.pem` files (0600) and a
 * manifest naming the current and previous key. The JWKS publishes both, so tokens signed
 * before a rotation stay valid until they expire. Re-reads the manifest when another process
 * (`bun run core:rotate-key`) changes it.
 */
export class KeyStore {
  private readonly manifestPath: string;
  private loadedMtime = -1;
  private lastCheck = 0;
  private current!: SigningKey;
  private previous: SigningKey | null = null;

  private constructor(private readonly dir: string) {
    this.manifestPath = join(dir, "core-keys.json");
  }

  /** Opens the key store, creating the first key pair when there is none. */
  static async open(home: string): Promise<KeyStore> {
    const store = new KeyStore(join(home, "keys"));
    if (!existsSync(store.manifestPath)) await store.rotate();
    await store.reload();
    return store;
  }

  private pemPath(kid: string) {
    return join(this.dir, `core-${kid}.pem`);
  }

  private async loadKey(kid: string): Promise<SigningKey> {
    const privateKey = await importPKCS8(readFileSync(this.pemPath(kid), "utf8"), "RS256", { extractable: true });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = await exportJWK(privateKey);
    return { kid, privateKey, publicJwk: { ...pub, kid, alg: "RS256", use: "sig" } };
  }

  private async reload(): Promise<void> {
    const mtime = statSync(this.manifestPath).mtimeMs;
    const manifest = JSON.parse(readFileSync(this.manifestPath, "utf8")) as Manifest;
    this.current = await this.loadKey(manifest.current);
    this.previous =
      manifest.previous && existsSync(this.pemPath(manifest.previous)) ? await this.loadKey(manifest.previous) : null;
    this.loadedMtime = mtime;
  }

  /** Picks up a rotation made by another process (checked at most once a second). */
  private async fresh(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCheck < 1000) return;
    this.lastCheck = now;
    if (statSync(this.manifestPath).mtimeMs !== this.loadedMtime) await this.reload();
  }

  async signingKey(): Promise<SigningKey> {
    await this.fresh();
    return this.current;
  }

  async verificationKeys(): Promise<SigningKey[]> {
    await this.fresh();
    return this.previous ? [this.current, this.previous] : [this.current];
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.verificationKeys()).map((k) => k.publicJwk) };
  }

  /** Adds a new current key; the old current becomes previous and the one before is deleted. */
  async rotate(): Promise<string> {
    const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(pub, "sha256");
    writePrivateFile(this.pemPath(kid), await exportPKCS8(privateKey));
    const old: Manifest | null = existsSync(this.manifestPath)
      ? JSON.parse(readFileSync(this.manifestPath, "utf8"))
      : null;
    const next: Manifest = { current: kid, previous: old?.current ?? null };
    const tmp = `${this.manifestPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    renameSync(tmp, this.manifestPath);
    if (old?.previous && old.previous !== kid) rmSync(this.pemPath(old.previous), { force: true });
    this.lastCheck = 0;
    if (this.loadedMtime !== -1) await this.reload();
    return kid;
  }
}
