import {
  KeycloakAdminError,
  UPDATE_PASSWORD,
  type KeycloakAdmin,
  type UserRepresentation,
} from "@hivematrix/lib/keycloak-admin";
import type { PermissionLevel } from "@hivematrix/lib/config";
import type { Logger } from "@hivematrix/lib/log";
import { generatePassword } from "./passwords.ts";
import { HIVEMATRIX_GROUPS, LEVEL_GROUP, levelOfGroups, type CreateInput, type UpdateBody } from "./schema.ts";

/** Who acts, and what user management needs around the identity provider. */
export interface UserAdmin {
  kc: KeycloakAdmin;
  realm: string;
  /** The admin doing it: their IdP id (`sub`) and username. */
  actor: { sub: string; username: string };
  log: Logger;
  /** Whether Codex has a company with this account number; null when Codex is not part of the platform. */
  companyExists(accountNumber: string): Promise<boolean | null>;
  /** Ends the person's HiveMatrix sessions at Core (so a change of level or a disable takes effect at once); how many. */
  endSessions(sub: string): Promise<number>;
}

/** A refusal to show next to a field (or above the form) and to answer APIs with. */
export class UserActionError extends Error {
  constructor(
    readonly status: 404 | 409 | 422 | 503,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export interface UserView {
  id: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  enabled: boolean;
  /** The level HiveMatrix gives this user; null when they are in none of its groups. */
  level: PermissionLevel | null;
  groups: string[];
  /** A client user's company (account number). */
  company: string | null;
  created_at: string | null;
  /** A temporary password is set: they choose their own at the next sign-in. */
  password_change_required: boolean;
}

function view(u: UserRepresentation, groups: string[]): UserView {
  return {
    id: u.id!,
    username: u.username,
    first_name: u.firstName ?? null,
    last_name: u.lastName ?? null,
    email: u.email ?? null,
    enabled: u.enabled ?? false,
    level: levelOfGroups(groups),
    groups: [...groups].sort(),
    company: u.attributes?.company?.[0] ?? null,
    created_at: u.createdTimestamp ? new Date(u.createdTimestamp).toISOString() : null,
    password_change_required: (u.requiredActions ?? []).includes(UPDATE_PASSWORD),
  };
}

/** The identity provider's refusals and failures, in words for the admin (never with credentials). */
export function explain(e: unknown): UserActionError {
  if (e instanceof UserActionError) return e;
  if (e instanceof KeycloakAdminError) {
    if (e.path === "token")
      return new UserActionError(
        503,
        `Helm could not sign in to the identity provider's admin API (${e.detail || e.status}). Check HIVEMATRIX_HOME/secrets/keycloak-admin.secret or KEYCLOAK_ADMIN_USER/KEYCLOAK_ADMIN_PASSWORD.`,
      );
    if (e.status === 409 && /username/i.test(e.detail))
      return new UserActionError(409, "This username is taken.", "username");
    if (e.status === 409 && /email/i.test(e.detail))
      return new UserActionError(409, "Another user has this email address.", "email");
    if (e.status === 400 && e.field === "email")
      return new UserActionError(422, "The identity provider refused this email address.", "email");
    if (e.status === 404) return new UserActionError(404, "There is no such user (deleted meanwhile?).");
    if (e.status === 400 && /find group/i.test(e.detail))
      return new UserActionError(
        503,
        `${e.detail}: the realm lacks HiveMatrix's groups; run \`bun run keycloak:setup\`.`,
      );
    if (e.status >= 500) return new UserActionError(503, `The identity provider failed (${e.status}); try again.`);
    return new UserActionError(422, `The identity provider refused this: ${e.detail || e.status}.`, e.field);
  }
  if (e instanceof TypeError || (e instanceof DOMException && e.name === "TimeoutError")) {
    return new UserActionError(503, "The identity provider cannot be reached; is it running?");
  }
  throw e;
}

/** Ends the person's sessions; Core being unreachable must not undo or hide the change just made. */
async function endSessionsOf(a: UserAdmin, id: string, username: string): Promise<number> {
  try {
    return await a.endSessions(id);
  } catch (e) {
    a.log.warn(`users: could not end the HiveMatrix sessions of ${username}; revoke them on Core's sessions page`, {
      user: a.actor.username,
      target: username,
      error: e,
    });
    return 0;
  }
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw explain(e);
  }
}

async function groupIds(a: UserAdmin): Promise<Map<string, string>> {
  const groups = await a.kc.listGroups(a.realm);
  const ids = new Map(groups.map((g) => [g.name, g.id!]));
  const missing = HIVEMATRIX_GROUPS.filter((g) => !ids.has(g));
  if (missing.length)
    throw new UserActionError(
      503,
      `The realm ${a.realm} has no group ${missing.join(", ")}; run \`bun run keycloak:setup\`.`,
    );
  return ids;
}

const groupNames = async (kc: KeycloakAdmin, realm: string, id: string) =>
  (await kc.userGroups(realm, id)).map((g) => g.name);

/** One page of users matching `q` (Keycloak's search: each word a prefix of username, email or name), with their groups. */
export async function listUsers(
  kc: KeycloakAdmin,
  realm: string,
  o: { q?: string; first: number; max: number },
): Promise<{ users: UserView[]; total: number }> {
  return guarded(async () => {
    const [reps, total] = await Promise.all([
      kc.searchUsers(realm, { search: o.q, first: o.first, max: o.max }),
      kc.countUsers(realm, { search: o.q }),
    ]);
    const users = await Promise.all(reps.map(async (u) => view(u, await groupNames(kc, realm, u.id!))));
    return { users, total };
  });
}

export async function getUser(kc: KeycloakAdmin, realm: string, id: string): Promise<UserView> {
  return guarded(async () => {
    const user = await kc.findUserById(realm, id);
    if (!user) throw new UserActionError(404, "There is no such user.");
    return view(user, await groupNames(kc, realm, id));
  });
}

async function checkCompany(a: UserAdmin, company: string): Promise<void> {
  let exists: boolean | null;
  try {
    exists = await a.companyExists(company);
  } catch {
    throw new UserActionError(503, "Codex could not be reached to check this account number; try again.", "company");
  }
  if (exists === false)
    throw new UserActionError(422, `Codex has no company with the account number ${company}.`, "company");
}

/** Refuses what would lock everyone out: disabling, demoting or deleting the last enabled admin. */
async function keepAnAdmin(a: UserAdmin, target: UserView, what: string): Promise<void> {
  if (target.level !== "admin" || !target.enabled) return;
  const ids = await groupIds(a);
  const admins = (await a.kc.allGroupMembers(a.realm, ids.get(LEVEL_GROUP.admin)!)).filter((u) => u.enabled);
  if (admins.length <= 1)
    throw new UserActionError(
      409,
      `${target.username} is the last enabled admin: ${what} would lock everyone out of HiveMatrix's admin pages. Make someone else an admin first.`,
    );
}

const who = (u: Pick<UserView, "username" | "level" | "company">) =>
  `${u.username} (${u.level ?? "no level"}${u.company ? `, company ${u.company}` : ""})`;

/**
 * Creates a user in the level's group (and with the company, for a client user) with a generated
 * password, all in one request to the identity provider, so a failure leaves nothing behind.
 * The password is returned to show once; it is never stored or logged.
 */
async function create(a: UserAdmin, input: CreateInput): Promise<{ user: UserView; password: string }> {
  const company = input.level === "client" ? input.company! : null;
  if (company) await checkCompany(a, company);
  return guarded(async () => {
    const password = generatePassword();
    const id = await a.kc.createUser(a.realm, {
      username: input.username,
      enabled: true,
      email: input.email,
      emailVerified: false,
      firstName: input.first_name,
      lastName: input.last_name,
      attributes: company ? { company: [company] } : {},
      groups: [LEVEL_GROUP[input.level]],
      credentials: [{ type: "password", value: password, temporary: input.temporary }],
    });
    const user = await getUser(a.kc, a.realm, id);
    a.log.info(`users: ${a.actor.username} created ${who(user)}`, {
      user: a.actor.username,
      action: "user.create",
      target: user.username,
      level: user.level,
      temporary_password: input.temporary,
    });
    return { user, password };
  });
}

/**
 * Changes names, email, enabled, level (the user's HiveMatrix group) and company. An admin may
 * not disable or demote themself, nor the last enabled admin. When access changes (disabled,
 * another level or company), the person's HiveMatrix sessions end so it takes effect at once.
 */
async function update(
  a: UserAdmin,
  id: string,
  changes: UpdateBody,
): Promise<{ user: UserView; sessionsEnded: number }> {
  const before = await getUser(a.kc, a.realm, id);
  const level = changes.level ?? before.level;
  if (!level) throw new UserActionError(422, "Choose a level for this user.", "level");
  const company = level === "client" ? (changes.company === undefined ? before.company : changes.company) : null;
  if (level === "client" && !company)
    throw new UserActionError(422, "A client user needs the account number of their company.", "company");
  const enabled = changes.enabled ?? before.enabled;
  const self = before.id === a.actor.sub;
  if (self && !enabled) throw new UserActionError(409, "You cannot disable your own account.", "enabled");
  if (self && level !== before.level)
    throw new UserActionError(409, "You cannot change your own level; ask another admin.", "level");
  if (!enabled || level !== "admin") await keepAnAdmin(a, before, !enabled ? "disabling them" : "changing their level");
  if (company && company !== before.company) await checkCompany(a, company);

  return guarded(async () => {
    const edit: Parameters<KeycloakAdmin["editUser"]>[2] = {
      enabled,
      attributes: { company: company ? [company] : [] },
    };
    if (changes.first_name !== undefined) edit.firstName = changes.first_name || undefined;
    if (changes.last_name !== undefined) edit.lastName = changes.last_name || undefined;
    if (changes.email !== undefined) edit.email = changes.email;
    await a.kc.editUser(a.realm, id, edit);

    const others = HIVEMATRIX_GROUPS.filter((g) => g !== LEVEL_GROUP[level] && before.groups.includes(g));
    if (!before.groups.includes(LEVEL_GROUP[level]) || others.length) {
      const ids = await groupIds(a);
      // Join the new group before leaving the old ones, so a failure half-way never leaves the user in none.
      if (!before.groups.includes(LEVEL_GROUP[level]))
        await a.kc.addUserToGroup(a.realm, id, ids.get(LEVEL_GROUP[level])!);
      for (const g of others) await a.kc.removeUserFromGroup(a.realm, id, ids.get(g)!);
    }
    const user = await getUser(a.kc, a.realm, id);
    const accessChanged =
      user.enabled !== before.enabled || user.level !== before.level || user.company !== before.company;
    const sessionsEnded = accessChanged && !self ? await endSessionsOf(a, id, user.username) : 0;
    const what = [
      user.enabled !== before.enabled && (user.enabled ? "enabled" : "disabled"),
      user.level !== before.level && `level ${before.level ?? "none"} → ${user.level}`,
      user.company !== before.company && `company ${before.company ?? "none"} → ${user.company ?? "none"}`,
      (user.first_name !== before.first_name || user.last_name !== before.last_name) && "name",
      user.email !== before.email && "email",
    ].filter(Boolean);
    a.log.info(
      `users: ${a.actor.username} updated ${user.username}${what.length ? `: ${what.join(", ")}` : " (no change)"}`,
      {
        user: a.actor.username,
        action: "user.update",
        target: user.username,
        changes: what,
        sessions_ended: sessionsEnded,
      },
    );
    return { user, sessionsEnded };
  });
}

/** Sets a new generated password (temporary: chosen anew at the next sign-in) and ends the person's sessions. */
async function reset(
  a: UserAdmin,
  id: string,
  temporary: boolean,
): Promise<{ user: UserView; password: string; sessionsEnded: number }> {
  const target = await getUser(a.kc, a.realm, id);
  return guarded(async () => {
    const password = generatePassword();
    await a.kc.resetPassword(a.realm, id, password, temporary);
    const sessionsEnded = id === a.actor.sub ? 0 : await endSessionsOf(a, id, target.username);
    a.log.info(`users: ${a.actor.username} reset the password of ${target.username}`, {
      user: a.actor.username,
      action: "user.reset_password",
      target: target.username,
      temporary,
      sessions_ended: sessionsEnded,
    });
    return { user: await getUser(a.kc, a.realm, id), password, sessionsEnded };
  });
}

/** Deletes a user, never the admin doing it nor the last enabled admin, and ends their sessions. */
async function remove(a: UserAdmin, id: string): Promise<{ user: UserView; sessionsEnded: number }> {
  const target = await getUser(a.kc, a.realm, id);
  if (target.id === a.actor.sub) throw new UserActionError(409, "You cannot delete your own account.");
  await keepAnAdmin(a, target, "deleting them");
  return guarded(async () => {
    await a.kc.deleteUser(a.realm, id);
    const sessionsEnded = await endSessionsOf(a, id, target.username);
    a.log.info(`users: ${a.actor.username} deleted ${who(target)}`, {
      user: a.actor.username,
      action: "user.delete",
      target: target.username,
      sessions_ended: sessionsEnded,
    });
    return { user: target, sessionsEnded };
  });
}

/** Runs a change; a refusal is logged with who tried what before it reaches the admin. */
async function attempt<T>(a: UserAdmin, action: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const refusal = explain(e);
    a.log.warn(`users: ${a.actor.username} could not ${what}: ${refusal.message}`, {
      user: a.actor.username,
      action,
      status: refusal.status,
      field: refusal.field,
    });
    throw refusal;
  }
}

export const createUser = (a: UserAdmin, input: CreateInput) =>
  attempt(a, "user.create", `create ${input.username}`, () => create(a, input));
export const updateUser = (a: UserAdmin, id: string, changes: UpdateBody) =>
  attempt(a, "user.update", `update user ${id}`, () => update(a, id, changes));
export const resetPassword = (a: UserAdmin, id: string, temporary: boolean) =>
  attempt(a, "user.reset_password", `reset the password of user ${id}`, () => reset(a, id, temporary));
export const deleteUser = (a: UserAdmin, id: string) =>
  attempt(a, "user.delete", `delete user ${id}`, () => remove(a, id));
