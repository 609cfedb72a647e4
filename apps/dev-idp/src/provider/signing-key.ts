import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { writePrivateFile } from "@hivematrix/lib/secrets";

/** The signing key survives restarts, so ID tokens and sessions stay verifiable. */
export async function loadSigningKey(home: string): Promise<JWK> {
  const path = join(home, "keys", "dev-idp-signing.jwk.json");
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as JWK;
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: crypto.randomUUID() };
  try {
    writePrivateFile(path, JSON.stringify(jwk));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(readFileSync(path, "utf8")) as JWK;
    throw e;
  }
  return jwk;
}
