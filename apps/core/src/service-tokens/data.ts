import { createHash, timingSafeEqual } from "node:crypto";
import { eq, notInArray } from "drizzle-orm";
import type { Logger } from "@hivematrix/lib/log";
import { readSecret, serviceSecret } from "@hivematrix/lib/secrets";
import { IDENTITY_PROVIDER, type ServiceRegistry } from "@hivematrix/lib/config";
import type { CoreDb } from "../deps.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Who may ask for service tokens: every service of the registry, and the identity provider (for its logs). */
function serviceCallers(services: ServiceRegistry): string[] {
  return [...Object.keys(services), IDENTITY_PROVIDER];
}

/**
 * Records the hash of every caller's secret (creating missing secrets), so Core
 * verifies /service-token callers against its own database. Secrets are 256-bit random
 * values, so a plain SHA-256 is enough; no password-style stretching is needed.
 */
export async function registerServiceSecrets(
  h: CoreDb,
  home: string,
  services: ServiceRegistry,
  now = new Date(),
): Promise<void> {
  const callers = serviceCallers(services);
  for (const name of callers) await storeHash(h, name, sha256(serviceSecret(home, name)), now);
  // A service dropped from the registry can no longer obtain tokens.
  await h.db.delete(h.t.serviceCredentials).where(notInArray(h.t.serviceCredentials.service, callers));
}

async function storeHash(h: CoreDb, service: string, secretHash: string, now = new Date()): Promise<void> {
  await h.db
    .insert(h.t.serviceCredentials)
    .values({ service, secretHash, updatedAt: now })
    .onConflictDoUpdate({ target: h.t.serviceCredentials.service, set: { secretHash, updatedAt: now } });
}

/**
 * Checks a caller's secret against the stored hash; on a mismatch, reads the caller's secret
 * file again (at most once per `recheckMs` per service, so bad guesses are not a file read
 * each), because an app that lost its secret makes a new one when it restarts, and Core must
 * not lock it out until Core itself restarts.
 */
export function serviceSecretVerifier(h: CoreDb, home: string, logger: Logger, recheckMs: number) {
  const lastRecheck = new Map<string, number>();
  return async (service: string, secret: string): Promise<boolean> => {
    if (await verifyServiceSecret(h, service, secret)) return true;
    const now = Date.now();
    if (now - (lastRecheck.get(service) ?? Number.NEGATIVE_INFINITY) < recheckMs) return false;
    lastRecheck.set(service, now);
    let onDisk: string;
    try {
      onDisk = readSecret(home, `service-${service}`);
    } catch {
      return false;
    }
    const rows = await h.db
      .select()
      .from(h.t.serviceCredentials)
      .where(eq(h.t.serviceCredentials.service, service))
      .limit(1);
    // Stryker disable next-line OptionalChaining: callers are services of the registry, each registered with a row
    if (rows[0]?.secretHash === sha256(onDisk)) return false;
    await storeHash(h, service, sha256(onDisk));
    logger.info("a service's secret changed on disk; Core now accepts the new one", { service });
    return verifyServiceSecret(h, service, secret);
  };
}

export async function verifyServiceSecret(h: CoreDb, service: string, secret: string): Promise<boolean> {
  const rows = await h.db
    .select()
    .from(h.t.serviceCredentials)
    .where(eq(h.t.serviceCredentials.service, service))
    .limit(1);
  // Stryker disable next-line StringLiteral: any stand-in hash works; without a row the answer is false anyway
  const expected = Buffer.from(rows[0]?.secretHash ?? sha256(`unknown:${service}`), "hex");
  const ok = timingSafeEqual(Buffer.from(sha256(secret), "hex"), expected);
  return ok && rows.length === 1;
}
