import { createHash, timingSafeEqual } from "node:crypto";
import { eq, notInArray } from "drizzle-orm";
import { serviceSecret } from "@hivematrix/lib/secrets";
import { IDENTITY_PROVIDER, type ServiceRegistry } from "@hivematrix/lib/config";
import type { CoreDb } from "./db/open.ts";

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
  for (const name of callers) {
    const secretHash = sha256(serviceSecret(home, name));
    await h.db
      .insert(h.t.serviceCredentials)
      .values({ service: name, secretHash, updatedAt: now })
      .onConflictDoUpdate({ target: h.t.serviceCredentials.service, set: { secretHash, updatedAt: now } });
  }
  // A service dropped from the registry can no longer obtain tokens.
  await h.db.delete(h.t.serviceCredentials).where(notInArray(h.t.serviceCredentials.service, callers));
}

export async function verifyServiceSecret(h: CoreDb, service: string, secret: string): Promise<boolean> {
  const rows = await h.db
    .select()
    .from(h.t.serviceCredentials)
    .where(eq(h.t.serviceCredentials.service, service))
    .limit(1);
  const expected = Buffer.from(rows[0]?.secretHash ?? sha256(`unknown:${service}`), "hex");
  const ok = timingSafeEqual(Buffer.from(sha256(secret), "hex"), expected);
  return ok && rows.length === 1;
}
