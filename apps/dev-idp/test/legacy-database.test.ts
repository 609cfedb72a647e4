import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { CookieJar, follow, submitLogin, tempHome } from "@hivematrix/lib/testing";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { REDIRECT, startIdp, type TestIdp } from "./start.ts";

/** The tables the dev IdP made by hand before db/schema.ts and its migrations, as it made them. */
const BEFORE_MIGRATIONS = [
  `CREATE TABLE users (
    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT UNIQUE,
    first_name TEXT, last_name TEXT, enabled INTEGER NOT NULL, email_verified INTEGER NOT NULL,
    created_at INTEGER NOT NULL, password_hash TEXT,
    required_actions TEXT NOT NULL DEFAULT '[]', attributes TEXT NOT NULL DEFAULT '{}')`,
  "CREATE TABLE realm_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
  `CREATE TABLE user_groups (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES realm_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id))`,
  "CREATE TABLE directory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  `CREATE TABLE oidc (
    model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL,
    grant_id TEXT, uid TEXT, user_code TEXT, expires_at INTEGER,
    PRIMARY KEY (model, id))`,
  "CREATE INDEX oidc_grant ON oidc (grant_id)",
  "CREATE INDEX oidc_uid ON oidc (model, uid)",
];

const OLGA = "0f1c2a4e-0009-4d6b-9a51-olga00000001";
const home = tempHome();
let idp: TestIdp | undefined;
afterAll(async () => {
  await idp?.close();
  rmSync(home, { recursive: true, force: true });
});

test("a dev-idp.db from before the migrations keeps its users, groups and sessions; its users sign in", async () => {
  mkdirSync(join(home, "data"), { recursive: true });
  const file = new Database(join(home, "data", "dev-idp.db"), { create: true });
  for (const ddl of BEFORE_MIGRATIONS) file.exec(ddl);
  file.exec("INSERT INTO realm_groups (id, name) VALUES ('g-tech', 'technicians'), ('g-admins', 'admins')");
  file
    .query(
      `INSERT INTO users (id, username, email, first_name, last_name, enabled, email_verified, created_at,
       password_hash, required_actions, attributes) VALUES (?, 'olga', 'olga@acme.example', 'Olga', 'Old', 1, 1, ?, ?,
       '[]', '{"company":["ACME-001"]}')`,
    )
    .run(OLGA, Date.UTC(2025, 0, 2), await Bun.password.hash("olga-password", { algorithm: "bcrypt", cost: 4 }));
  file.exec(`INSERT INTO user_groups (user_id, group_id) VALUES ('${OLGA}', 'g-tech')`);
  file.exec("INSERT INTO directory_meta (key, value) VALUES ('seeded', '2025-01-01T00:00:00.000Z')");
  const session = JSON.stringify({ accountId: OLGA, kind: "Session", exp: 4_102_444_800 });
  file.query("INSERT INTO oidc (model, id, payload, expires_at) VALUES ('Session', 's1', ?, 4102444800)").run(session);
  file.close();

  idp = await startIdp(home);
  const kc = createKeycloakAdmin({ url: idp.url, ...idp.admin });
  const olga = (await kc.findUser("hivematrix", "olga"))!;
  expect(olga).toMatchObject({ id: OLGA, email: "olga@acme.example", enabled: true, requiredActions: [] });
  expect(olga.attributes).toEqual({ company: ["ACME-001"] });
  expect(olga.createdTimestamp).toBe(Date.UTC(2025, 0, 2));
  expect((await kc.userGroups("hivematrix", OLGA)).map((g) => g.name)).toEqual(["technicians"]);
  // The file says it was seeded: the dev users someone deleted from it stay deleted.
  expect(await kc.findUser("hivematrix", "admin")).toBeNull();
  expect((await kc.listGroups("hivematrix")).map((g) => g.name)).toEqual([
    "admins",
    "billing",
    "client",
    "technicians",
  ]);

  const client = new KeyCloak(idp.issuer, idp.clientId, idp.clientSecret, REDIRECT);
  const jar = new CookieJar();
  const authorize = client.createAuthorizationURL(generateState(), generateCodeVerifier(), ["openid"]).toString();
  const { url, res } = await follow(jar, authorize);
  expect((await submitLogin(jar, url, await res.text(), "olga", "olga-password")).status).toBe(303);

  // Her session from before the migrations is hers: ending her sessions ends it too.
  const sessions = () => {
    const db = new Database(join(home, "data", "dev-idp.db"), { readonly: true });
    try {
      return db.query("SELECT id FROM oidc WHERE id = 's1'").all();
    } finally {
      db.close();
    }
  };
  expect(sessions()).toHaveLength(1);
  await kc.logoutUser("hivematrix", OLGA);
  expect(sessions()).toHaveLength(0);

  // Started again, the file is an ordinary migrated one.
  await idp.close();
  idp = await startIdp(home);
  expect((await createKeycloakAdmin({ url: idp.url, ...idp.admin }).findUser("hivematrix", "olga"))!.id).toBe(OLGA);
});
