import { and, asc, count, eq, inArray, ne, or, sql } from "drizzle-orm";
import { lockKey, transaction } from "@hivematrix/lib/db";
import type { DevIdpDb } from "../deps.ts";
import type { GroupRow, UserRow } from "../db/schema.ts";
import { groupByName } from "./data-groups.ts";
import { type UserFilter, userFilter } from "./filter.ts";
import { KeycloakError, userNotFound } from "./keycloak-error.ts";

/** The required action that makes a user choose a new password at the next sign-in. */
export const UPDATE_PASSWORD = "UPDATE_PASSWORD";

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

const invalidEmail = (email: string) =>
  new KeycloakError(400, { field: "email", errorMessage: "error-invalid-email", params: ["email", email] });
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const checkEmail = (email: string | null) => {
  if (email !== null && !EMAIL.test(email)) throw invalidEmail(email);
};
const blankToNull = (s: string | null | undefined) => (typeof s === "string" && s.trim() !== "" ? s.trim() : null);
/** Writes of users wait for each other, so "is this name or email taken?" holds until the write. */
const USERS_LOCK = "dev-idp:users";

const hash = (password: string) => Bun.password.hash(password, { algorithm: "bcrypt", cost: 10 });
// Verifying against a dummy hash for unknown names keeps timing from revealing which users exist.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hash(crypto.randomUUID()));

/** Users as the admin API and the tokens show them: each with the names of its groups. */
async function withGroups(db: DevIdpDb, rows: UserRow[]): Promise<DevUser[]> {
  const { userGroups, realmGroups } = db.t;
  const ids = rows.map((r) => r.id);
  const memberships = ids.length
    ? await db.db
        .select({ userId: userGroups.userId, name: realmGroups.name })
        .from(userGroups)
        .innerJoin(realmGroups, eq(realmGroups.id, userGroups.groupId))
        .where(inArray(userGroups.userId, ids))
    : [];
  return rows.map((row) => ({
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    enabled: row.enabled,
    emailVerified: row.emailVerified,
    createdTimestamp: row.createdAt.getTime(),
    requiredActions: row.requiredActions,
    attributes: row.attributes,
    groups: memberships
      .filter((m) => m.userId === row.id)
      .map((m) => m.name)
      .sort(),
  }));
}

export async function findUser(db: DevIdpDb, id: string): Promise<DevUser | null> {
  const rows = await db.db.select().from(db.t.users).where(eq(db.t.users.id, id)).limit(1);
  return (await withGroups(db, rows))[0] ?? null;
}

export async function requireUser(db: DevIdpDb, id: string): Promise<DevUser> {
  const user = await findUser(db, id);
  if (!user) throw userNotFound();
  return user;
}

/** One page of the users matching Keycloak's filters, in username order. */
export async function searchUsers(db: DevIdpDb, filter: UserFilter, first = 0, max = 100): Promise<DevUser[]> {
  const { users } = db.t;
  const rows = await db.db
    .select()
    .from(users)
    .where(userFilter(users, filter))
    .orderBy(asc(users.username))
    .limit(max)
    .offset(first);
  return withGroups(db, rows);
}

export async function countUsers(db: DevIdpDb, filter: UserFilter): Promise<number> {
  const [row] = await db.db.select({ n: count() }).from(db.t.users).where(userFilter(db.t.users, filter));
  return row?.n ?? 0;
}

/** One page of a group's members, in username order. */
export async function groupMembers(db: DevIdpDb, groupId: string, first = 0, max = 100): Promise<DevUser[]> {
  const { users, userGroups } = db.t;
  const rows = await db.db
    .select({ user: users })
    .from(users)
    .innerJoin(userGroups, eq(userGroups.userId, users.id))
    .where(eq(userGroups.groupId, groupId))
    .orderBy(asc(users.username))
    .limit(max)
    .offset(first);
  return withGroups(
    db,
    rows.map((r) => r.user),
  );
}

async function emailTaken(db: DevIdpDb, email: string | null, except: string | null): Promise<boolean> {
  if (email === null) return false;
  const { users } = db.t;
  const others = except === null ? eq(users.email, email) : and(eq(users.email, email), ne(users.id, except));
  return (await db.db.select({ id: users.id }).from(users).where(others).limit(1)).length > 0;
}

/** Creates a user (Keycloak's POST /users, groups and a password included) and returns its id. */
export async function createUser(db: DevIdpDb, input: NewUser, id: string = crypto.randomUUID()): Promise<string> {
  const { users, userGroups } = db.t;
  const username = blankToNull(input.username)?.toLowerCase();
  if (!username) throw new KeycloakError(400, { errorMessage: "User name is missing" });
  const email = blankToNull(input.email)?.toLowerCase() ?? null;
  checkEmail(email);
  const groups: GroupRow[] = [];
  for (const path of input.groups ?? []) {
    const group = await groupByName(db, path);
    if (!group) throw new KeycloakError(400, { errorMessage: `Unable to find group specified by path: ${path}` });
    groups.push(group);
  }
  const passwordHash = input.password ? await hash(input.password.value) : null;
  const temporary = input.password?.temporary ? [UPDATE_PASSWORD] : [];
  await transaction(db, async (tx) => {
    await lockKey(db, USERS_LOCK);
    if ((await tx.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1)).length)
      throw new KeycloakError(409, { errorMessage: "User exists with same username" });
    if (await emailTaken(db, email, null))
      throw new KeycloakError(409, { errorMessage: "User exists with same email" });
    await tx.insert(users).values({
      id,
      username,
      email,
      firstName: blankToNull(input.firstName),
      lastName: blankToNull(input.lastName),
      enabled: input.enabled ?? false,
      emailVerified: input.emailVerified ?? false,
      createdAt: new Date(),
      passwordHash,
      requiredActions: [...new Set([...(input.requiredActions ?? []), ...temporary])],
      attributes: input.attributes ?? {},
    });
    if (groups.length)
      await tx
        .insert(userGroups)
        .values(groups.map((g) => ({ userId: id, groupId: g.id })))
        .onConflictDoNothing();
  });
  return id;
}

/**
 * Keycloak 24+'s PUT: with `attributes`, the input is the whole profile (names and email left
 * out are cleared); without, only the fields given change. The username cannot change.
 */
export async function updateUser(db: DevIdpDb, id: string, input: UserInput): Promise<void> {
  const { users } = db.t;
  await transaction(db, async (tx) => {
    await lockKey(db, USERS_LOCK);
    const user = await requireUser(db, id);
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
    if (await emailTaken(db, email, id)) throw new KeycloakError(409, { errorMessage: "User exists with same email" });
    await tx
      .update(users)
      .set({
        email,
        firstName: pick(input.firstName, user.firstName),
        lastName: pick(input.lastName, user.lastName),
        enabled: input.enabled ?? user.enabled,
        emailVerified: input.emailVerified ?? user.emailVerified,
        requiredActions: input.requiredActions ?? user.requiredActions,
        attributes: whole ? input.attributes : user.attributes,
      })
      .where(eq(users.id, id));
  });
}

export async function deleteUser(db: DevIdpDb, id: string): Promise<void> {
  const gone = await db.db.delete(db.t.users).where(eq(db.t.users.id, id)).returning({ id: db.t.users.id });
  if (gone.length === 0) throw userNotFound();
}

async function passwordHashOf(db: DevIdpDb, id: string): Promise<string | null> {
  const [row] = await db.db
    .select({ hash: db.t.users.passwordHash })
    .from(db.t.users)
    .where(eq(db.t.users.id, id))
    .limit(1);
  return row?.hash ?? null;
}

export type SignInCheck = { ok: true; user: DevUser } | { ok: false; reason: "invalid" | "disabled" };

/** The user when the password is right and the account enabled; sign-in accepts the username or the email. */
export async function authenticate(db: DevIdpDb, login: string, password: string): Promise<SignInCheck> {
  const { users } = db.t;
  const name = login.trim().toLowerCase();
  const [row] = await db.db
    .select({ id: users.id, hash: users.passwordHash })
    .from(users)
    .where(or(eq(users.username, name), eq(users.email, name)))
    .orderBy(sql`${users.username} = ${name} desc`)
    .limit(1);
  const ok = await Bun.password.verify(password, row?.hash ?? (await dummy()));
  const user = ok && row ? await findUser(db, row.id) : null;
  if (!user) return { ok: false, reason: "invalid" };
  return user.enabled ? { ok: true, user } : { ok: false, reason: "disabled" };
}

/** Whether this is the user's current password. */
export async function verifyPassword(db: DevIdpDb, id: string, password: string): Promise<boolean> {
  return Bun.password.verify(password, (await passwordHashOf(db, id)) ?? (await dummy()));
}

/** A temporary password must be changed at the next sign-in; a permanent one clears that. */
export async function setPassword(db: DevIdpDb, id: string, password: string, temporary: boolean): Promise<void> {
  const user = await requireUser(db, id);
  const others = user.requiredActions.filter((a) => a !== UPDATE_PASSWORD);
  await db.db
    .update(db.t.users)
    .set({ passwordHash: await hash(password), requiredActions: temporary ? [...others, UPDATE_PASSWORD] : others })
    .where(eq(db.t.users.id, id));
}
