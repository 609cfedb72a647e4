import { and, eq, isNotNull, lt, type SQL } from "drizzle-orm";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { DevIdpDb } from "../deps.ts";

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * oidc-provider's storage in the dev IdP's database, so sign-in sessions, grants and tokens
 * survive a restart of the dev IdP, as they do with Keycloak.
 */
export function oidcStorage(db: DevIdpDb) {
  const { oidc } = db.t;
  const live = (row: { payload: AdapterPayload; expiresAt: number | null } | undefined) =>
    !row || (row.expiresAt !== null && row.expiresAt < Date.now() / 1000) ? undefined : row.payload;
  const findWhere = async (where: SQL | undefined) =>
    live(
      (await db.db.select({ payload: oidc.payload, expiresAt: oidc.expiresAt }).from(oidc).where(where).limit(1))[0],
    );

  return class OidcStorage implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const columns = {
        payload,
        accountId: payload.accountId ?? null,
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt: expiresIn ? nowSeconds() + expiresIn : null,
      };
      await db.db
        .insert(oidc)
        .values({ model: this.model, id, ...columns })
        .onConflictDoUpdate({ target: [oidc.model, oidc.id], set: columns });
    }

    find(id: string) {
      return findWhere(and(eq(oidc.model, this.model), eq(oidc.id, id)));
    }

    findByUid(uid: string) {
      return findWhere(and(eq(oidc.model, this.model), eq(oidc.uid, uid)));
    }

    findByUserCode(code: string) {
      return findWhere(and(eq(oidc.model, this.model), eq(oidc.userCode, code)));
    }

    async consume(id: string) {
      const found = await this.find(id);
      if (!found) return;
      await db.db
        .update(oidc)
        .set({ payload: { ...found, consumed: nowSeconds() } })
        .where(and(eq(oidc.model, this.model), eq(oidc.id, id)));
    }

    async destroy(id: string) {
      await db.db.delete(oidc).where(and(eq(oidc.model, this.model), eq(oidc.id, id)));
    }

    async revokeByGrantId(grantId: string) {
      await db.db.delete(oidc).where(eq(oidc.grantId, grantId));
    }
  };
}

/**
 * Ends everything oidc-provider holds for an account (SSO sessions, grants, codes and tokens),
 * as Keycloak does when a user is disabled or deleted: their next visit asks for a password.
 */
export async function forgetAccount(db: DevIdpDb, accountId: string): Promise<void> {
  await db.db.delete(db.t.oidc).where(eq(db.t.oidc.accountId, accountId));
}

/** Deletes what has expired (at start-up; a lookup ignores expired entries anyway). */
export async function purgeExpired(db: DevIdpDb): Promise<void> {
  const { oidc } = db.t;
  await db.db.delete(oidc).where(and(isNotNull(oidc.expiresAt), lt(oidc.expiresAt, nowSeconds())));
}
