import { Database } from "bun:sqlite";
import type { Adapter, AdapterPayload } from "oidc-provider";

/** The dev IdP's one SQLite file under HIVEMATRIX_HOME/data: oidc-provider's storage and the users. */
export function openIdpDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA busy_timeout = 5000");
  return db;
}

/**
 * oidc-provider storage in the dev IdP's SQLite file, so sign-in sessions, grants and tokens
 * survive a restart of the dev IdP, as they do with Keycloak.
 */
export function sqliteAdapterFactory(db: Database) {
  db.exec(`CREATE TABLE IF NOT EXISTS oidc (
    model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL,
    grant_id TEXT, uid TEXT, user_code TEXT, expires_at INTEGER,
    PRIMARY KEY (model, id))`);
  db.exec("CREATE INDEX IF NOT EXISTS oidc_grant ON oidc (grant_id)");
  db.exec("CREATE INDEX IF NOT EXISTS oidc_uid ON oidc (model, uid)");
  db.exec("DELETE FROM oidc WHERE expires_at IS NOT NULL AND expires_at < unixepoch()");

  const live = (row: { payload: string; expires_at: number | null } | null): AdapterPayload | undefined => {
    if (!row || (row.expires_at !== null && row.expires_at < Date.now() / 1000)) return undefined;
    return JSON.parse(row.payload) as AdapterPayload;
  };

  return class SqliteAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      db.query(
        `INSERT INTO oidc (model, id, payload, grant_id, uid, user_code, expires_at) VALUES ($model, $id, $payload, $grant, $uid, $code, $exp)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
      ).run({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant: payload.grantId ?? null,
        uid: payload.uid ?? null,
        code: payload.userCode ?? null,
        exp: expiresIn ? Math.floor(Date.now() / 1000) + expiresIn : null,
      });
    }

    async find(id: string) {
      return live(
        db.query("SELECT payload, expires_at FROM oidc WHERE model = ? AND id = ?").get(this.model, id) as never,
      );
    }

    async findByUid(uid: string) {
      return live(
        db.query("SELECT payload, expires_at FROM oidc WHERE model = ? AND uid = ?").get(this.model, uid) as never,
      );
    }

    async findByUserCode(code: string) {
      return live(
        db
          .query("SELECT payload, expires_at FROM oidc WHERE model = ? AND user_code = ?")
          .get(this.model, code) as never,
      );
    }

    async consume(id: string) {
      const found = await this.find(id);
      if (!found) return;
      db.query("UPDATE oidc SET payload = ? WHERE model = ? AND id = ?").run(
        JSON.stringify({ ...found, consumed: Math.floor(Date.now() / 1000) }),
        this.model,
        id,
      );
    }

    async destroy(id: string) {
      db.query("DELETE FROM oidc WHERE model = ? AND id = ?").run(this.model, id);
    }

    async revokeByGrantId(grantId: string) {
      db.query("DELETE FROM oidc WHERE grant_id = ?").run(grantId);
    }
  };
}

/**
 * Ends everything oidc-provider holds for an account (SSO sessions, grants, codes and tokens),
 * as Keycloak does when a user is disabled or deleted: their next visit asks for a password.
 */
export function forgetAccount(db: Database, accountId: string): number {
  return db.query("DELETE FROM oidc WHERE json_extract(payload, '$.accountId') = ?").run(accountId).changes;
}
