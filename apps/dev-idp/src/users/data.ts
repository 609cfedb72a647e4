import type { Database, SQLQueryBindings } from "bun:sqlite";
import type { UserQuery } from "@hivematrix/lib/keycloak-admin";

/** The realm's groups, as `bun run keycloak:setup` creates them in Keycloak. */
export const REALM_GROUPS = ["admins", "technicians", "billing", "client"] as const;

/** The required action that makes a user choose a new password at the next sign-in. */
export const UPDATE_PASSWORD = "UPDATE_PASSWORD";

/** A user seeded on the first start: the same four levels a real Keycloak realm has. */
export interface SeedUser {
  id: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  groups: string[];
  /** Account number of the company a client user belongs to. */
  company?: string;
}

export const DEV_USERS: readonly SeedUser[] = [
  {
    id: "3f1c2a4e-0001-4d6b-9a51-admin0000001",
    username: "admin",
    password: "admin",
    firstName: "Ada",
    lastName: "Admin",
    email: "admin@hivematrix.local",
    groups: ["admins"],
  },
  {
    id: "3f1c2a4e-0002-4d6b-9a51-tech00000001",
    username: "tech",
    password: "tech",
    firstName: "Toby",
    lastName: "Technician",
    email: "tech@hivematrix.local",
    groups: ["technicians"],
  },
  {
    id: "3f1c2a4e-0003-4d6b-9a51-billing00001",
    username: "billing",
    password: "billing",
    firstName: "Bea",
    lastName: "Billing",
    email: "billing@hivematrix.local",
    groups: ["billing"],
  },
  {
    id: "3f1c2a4e-0004-4d6b-9a51-client000001",
    username: "client",
    password: "client",
    firstName: "Cody",
    lastName: "Client",
    email: "client@acme.example",
    groups: ["client"],
    company: "ACME-001",
  },
];

export interface DevUser {
  id: string;
  /** Lower case, as Keycloak stores it. */
  username: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  enabled: boolean;
  emailVerified: boolean;
  createdTimestamp: number;
  requiredActions: string[];
  attributes: Record<string, string[]>;
  /** Names of the groups the user is in. */
  groups: string[];
}

export interface DevGroup {
  id: string;
  name: string;
}

/** A refusal in Keycloak's own shape, which the admin API answers as is. */
export class KeycloakError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.errorMessage ?? body.error ?? status));
  }
}

export const userNotFound = () => new KeycloakError(404, { error: "User not found" });
const invalidEmail = (email: string) =>
  new KeycloakError(400, { field: "email", errorMessage: "error-invalid-email", params: ["email", email] });
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The admin API's user filters, as the client in lib/ sends them (paging is passed apart). */
export type UserFilter = Omit<UserQuery, "first" | "max" | "briefRepresentation">;

export interface UserInput {
  username?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  enabled?: boolean;
  emailVerified?: boolean;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
}

export interface NewUser extends UserInput {
  username: string;
  password?: { value: string; temporary: boolean };
  /** Group names or paths. */
  groups?: string[];
}

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  enabled: number;
  email_verified: number;
  created_at: number;
  required_actions: string;
  attributes: string;
  group_names: string | null;
}

const SELECT_USER = `SELECT u.*, (SELECT json_group_array(g.name) FROM user_groups ug JOIN realm_groups g ON g.id = ug.group_id WHERE ug.user_id = u.id) AS group_names FROM users u`;

function toUser(row: UserRow): DevUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    enabled: row.enabled === 1,
    emailVerified: row.email_verified === 1,
    createdTimestamp: row.created_at,
    requiredActions: JSON.parse(row.required_actions) as string[],
    attributes: JSON.parse(row.attributes) as Record<string, string[]>,
    groups: (JSON.parse(row.group_names ?? "[]") as string[]).sort(),
  };
}

const blankToNull = (s: string | null | undefined) => (typeof s === "string" && s.trim() !== "" ? s.trim() : null);
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Keycloak's filters as SQL: `search` words as prefixes (`*` wildcard, `"x"` exact) over username, email and names. */
function whereOf(f: UserFilter): { sql: string; params: SQLQueryBindings[] } {
  const clauses: string[] = [];
  const params: SQLQueryBindings[] = [];
  if (f.search !== undefined) {
    for (const raw of f.search.trim().split(/\s+/).filter(Boolean)) {
      const word = raw.toLowerCase();
      if (word.length >= 2 && word.startsWith('"') && word.endsWith('"')) {
        clauses.push("(u.username = ? OR u.email = ? OR lower(u.first_name) = ? OR lower(u.last_name) = ?)");
        params.push(...Array(4).fill(word.slice(1, -1)));
      } else {
        let pattern = likeEscape(word).replace(/\*/g, "%");
        if (!pattern.endsWith("%")) pattern += "%";
        clauses.push(
          "(u.username LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\' OR u.first_name LIKE ? ESCAPE '\\' OR u.last_name LIKE ? ESCAPE '\\')",
        );
        params.push(...Array(4).fill(pattern));
      }
    }
  } else {
    for (const [column, value] of [
      ["u.username", f.username],
      ["u.email", f.email],
      ["u.first_name", f.firstName],
      ["u.last_name", f.lastName],
    ] as const) {
      if (value === undefined) continue;
      if (f.exact) {
        clauses.push(`lower(${column}) = ?`);
        params.push(value.toLowerCase());
      } else {
        clauses.push(`${column} LIKE ? ESCAPE '\\'`);
        params.push(`%${likeEscape(value.toLowerCase())}%`);
      }
    }
  }
  if (f.enabled !== undefined) {
    clauses.push("u.enabled = ?");
    params.push(f.enabled ? 1 : 0);
  }
  return { sql: clauses.length ? ` WHERE ${clauses.join(" AND ")}` : "", params };
}

async function hash(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "bcrypt", cost: 10 });
}

/**
 * The dev IdP's users and groups, kept in its SQLite file under HIVEMATRIX_HOME/data, so users
 * created through the admin API sign in and survive restarts. Passwords are stored hashed
 * (bcrypt, Bun.password). The four dev users are seeded on the first start only: change or
 * delete them and they stay changed.
 */
export async function openUserDirectory(db: Database, seed: readonly SeedUser[] = DEV_USERS) {
  db.exec("PRAGMA foreign_keys = ON");
  db.exec(`CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT UNIQUE,
    first_name TEXT, last_name TEXT, enabled INTEGER NOT NULL, email_verified INTEGER NOT NULL,
    created_at INTEGER NOT NULL, password_hash TEXT,
    required_actions TEXT NOT NULL DEFAULT '[]', attributes TEXT NOT NULL DEFAULT '{}')`);
  db.exec("CREATE TABLE IF NOT EXISTS realm_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  db.exec(`CREATE TABLE IF NOT EXISTS user_groups (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES realm_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id))`);
  db.exec("CREATE TABLE IF NOT EXISTS directory_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  for (const name of REALM_GROUPS)
    db.query("INSERT OR IGNORE INTO realm_groups (id, name) VALUES (?, ?)").run(crypto.randomUUID(), name);

  const groupByName = (name: string) =>
    db.query("SELECT id, name FROM realm_groups WHERE name = ?").get(name.replace(/^\/+/, "")) as DevGroup | null;
  const byId = (id: string): DevUser | null => {
    const row = db.query(`${SELECT_USER} WHERE u.id = ?`).get(id) as UserRow | null;
    return row ? toUser(row) : null;
  };
  const requireUser = (id: string) =>
    byId(id) ??
    (() => {
      throw userNotFound();
    })();
  const emailTaken = (email: string | null, except: string | null) =>
    email !== null && db.query("SELECT 1 FROM users WHERE email = ? AND id IS NOT ?").get(email, except) !== null;
  const checkEmail = (email: string | null) => {
    if (email !== null && !EMAIL.test(email)) throw invalidEmail(email);
  };

  async function create(input: NewUser, id: string = crypto.randomUUID()): Promise<string> {
    const username = blankToNull(input.username)?.toLowerCase();
    if (!username) throw new KeycloakError(400, { errorMessage: "User name is missing" });
    const email = blankToNull(input.email)?.toLowerCase() ?? null;
    checkEmail(email);
    const groups = (input.groups ?? []).map(
      (path) =>
        groupByName(path) ??
        (() => {
          throw new KeycloakError(400, { errorMessage: `Unable to find group specified by path: ${path}` });
        })(),
    );
    const passwordHash = input.password ? await hash(input.password.value) : null;
    const requiredActions = [
      ...new Set([...(input.requiredActions ?? []), ...(input.password?.temporary ? [UPDATE_PASSWORD] : [])]),
    ];
    db.transaction(() => {
      if (db.query("SELECT 1 FROM users WHERE username = ?").get(username))
        throw new KeycloakError(409, { errorMessage: "User exists with same username" });
      if (emailTaken(email, null)) throw new KeycloakError(409, { errorMessage: "User exists with same email" });
      db.query(
        `INSERT INTO users (id, username, email, first_name, last_name, enabled, email_verified, created_at, password_hash, required_actions, attributes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        username,
        email,
        blankToNull(input.firstName),
        blankToNull(input.lastName),
        input.enabled ? 1 : 0,
        input.emailVerified ? 1 : 0,
        Date.now(),
        passwordHash,
        JSON.stringify(requiredActions),
        JSON.stringify(input.attributes ?? {}),
      );
      for (const g of groups)
        db.query("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)").run(id, g.id);
    })();
    return id;
  }

  const seeded = db.query("SELECT value FROM directory_meta WHERE key = 'seeded'").get();
  if (!seeded) {
    for (const u of seed) {
      if (byId(u.id)) continue;
      await create(
        {
          username: u.username,
          email: u.email,
          firstName: u.firstName,
          lastName: u.lastName,
          enabled: true,
          emailVerified: true,
          groups: u.groups,
          attributes: u.company ? { company: [u.company] } : {},
          password: { value: u.password, temporary: false },
        },
        u.id,
      );
    }
    db.query("INSERT OR REPLACE INTO directory_meta (key, value) VALUES ('seeded', ?)").run(new Date().toISOString());
  }
  // Verifying against a dummy hash for unknown names keeps timing from revealing which users exist.
  const dummy = await hash(crypto.randomUUID());

  return {
    byId,

    /** The user when the password is right and the account enabled; sign-in accepts the username or the email. */
    async authenticate(
      login: string,
      password: string,
    ): Promise<{ ok: true; user: DevUser } | { ok: false; reason: "invalid" | "disabled" }> {
      const name = login.trim().toLowerCase();
      const row = db
        .query("SELECT id, password_hash FROM users WHERE username = ? OR email = ? ORDER BY username = ? DESC LIMIT 1")
        .get(name, name, name) as { id: string; password_hash: string | null } | null;
      const ok = await Bun.password.verify(password, row?.password_hash ?? dummy);
      const user = ok && row ? byId(row.id) : null;
      if (!user) return { ok: false, reason: "invalid" };
      return user.enabled ? { ok: true, user } : { ok: false, reason: "disabled" };
    },

    search(filter: UserFilter, first = 0, max = 100): DevUser[] {
      const { sql, params } = whereOf(filter);
      return (
        db.query(`${SELECT_USER}${sql} ORDER BY u.username LIMIT ? OFFSET ?`).all(...params, max, first) as UserRow[]
      ).map(toUser);
    },

    count(filter: UserFilter): number {
      const { sql, params } = whereOf(filter);
      return (db.query(`SELECT count(*) AS n FROM users u${sql}`).get(...params) as { n: number }).n;
    },

    create,

    /**
     * Keycloak 24+'s PUT: with `attributes`, the input is the whole profile (names and email left
     * out are cleared); without, only the fields given change. The username cannot change.
     */
    update(id: string, input: UserInput): void {
      const user = requireUser(id);
      if (input.username !== undefined && input.username.trim().toLowerCase() !== user.username) {
        throw new KeycloakError(400, {
          field: "username",
          errorMessage: "error-user-attribute-read-only",
          params: ["username"],
        });
      }
      const whole = input.attributes !== undefined;
      const pick = (given: string | null | undefined, current: string | null) =>
        whole || given !== undefined ? blankToNull(given) : current;
      const email = pick(input.email, user.email)?.toLowerCase() ?? null;
      checkEmail(email);
      if (emailTaken(email, id)) throw new KeycloakError(409, { errorMessage: "User exists with same email" });
      db.query(
        `UPDATE users SET email = ?, first_name = ?, last_name = ?, enabled = ?, email_verified = ?, required_actions = ?, attributes = ? WHERE id = ?`,
      ).run(
        email,
        pick(input.firstName, user.firstName),
        pick(input.lastName, user.lastName),
        (input.enabled ?? user.enabled) ? 1 : 0,
        (input.emailVerified ?? user.emailVerified) ? 1 : 0,
        JSON.stringify(input.requiredActions ?? user.requiredActions),
        JSON.stringify(whole ? input.attributes : user.attributes),
        id,
      );
    },

    delete(id: string): void {
      if (db.query("DELETE FROM users WHERE id = ?").run(id).changes === 0) throw userNotFound();
    },

    /** Whether this is the user's current password. */
    async verifyPassword(id: string, password: string): Promise<boolean> {
      const row = db.query("SELECT password_hash FROM users WHERE id = ?").get(id) as {
        password_hash: string | null;
      } | null;
      return Bun.password.verify(password, row?.password_hash ?? dummy);
    },

    /** A temporary password must be changed at the next sign-in; a permanent one clears that. */
    async setPassword(id: string, password: string, temporary: boolean): Promise<void> {
      const user = requireUser(id);
      const others = user.requiredActions.filter((a) => a !== UPDATE_PASSWORD);
      const actions = temporary ? [...others, UPDATE_PASSWORD] : others;
      db.query("UPDATE users SET password_hash = ?, required_actions = ? WHERE id = ?").run(
        await hash(password),
        JSON.stringify(actions),
        id,
      );
    },

    groups(search?: string, exact = false): DevGroup[] {
      const all = db.query("SELECT id, name FROM realm_groups ORDER BY name").all() as DevGroup[];
      if (search === undefined) return all;
      const s = search.toLowerCase();
      return all.filter((g) => (exact ? g.name.toLowerCase() === s : g.name.toLowerCase().includes(s)));
    },

    groupById: (id: string) => db.query("SELECT id, name FROM realm_groups WHERE id = ?").get(id) as DevGroup | null,

    userGroups(userId: string): DevGroup[] {
      requireUser(userId);
      return db
        .query(
          "SELECT g.id, g.name FROM user_groups ug JOIN realm_groups g ON g.id = ug.group_id WHERE ug.user_id = ? ORDER BY g.name",
        )
        .all(userId) as DevGroup[];
    },

    join(userId: string, groupId: string): void {
      db.query("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?, ?)").run(userId, groupId);
    },

    leave(userId: string, groupId: string): void {
      db.query("DELETE FROM user_groups WHERE user_id = ? AND group_id = ?").run(userId, groupId);
    },

    members(groupId: string, first = 0, max = 100): DevUser[] {
      return (
        db
          .query(
            `${SELECT_USER} JOIN user_groups m ON m.user_id = u.id WHERE m.group_id = ? ORDER BY u.username LIMIT ? OFFSET ?`,
          )
          .all(groupId, max, first) as UserRow[]
      ).map(toUser);
    },
  };
}

export type UserDirectory = Awaited<ReturnType<typeof openUserDirectory>>;

/** The claims of the realm's user in ID tokens, access tokens and userinfo. */
export function claimsOf(user: DevUser) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ") || user.username;
  const company = user.attributes.company?.[0];
  return {
    sub: user.id,
    name,
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    preferred_username: user.username,
    ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
    groups: user.groups,
    ...(company ? { company } : {}),
  };
}
