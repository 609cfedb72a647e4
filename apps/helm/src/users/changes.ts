import type { KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { explain, getUser, groupIds, guarded, UserActionError, type UserAdmin } from "./directory.ts";
import { type CreateInput, HIVEMATRIX_GROUPS, LEVEL_GROUP, type UpdateBody, type UserView } from "./json.ts";
import { generatePassword } from "./passwords.ts";

/** Ends the person's sessions; Core being unreachable must not undo or hide the change just made. */
async function endSessionsOf(admin: UserAdmin, id: string, username: string): Promise<number> {
  try {
    return await admin.endSessions(id);
  } catch (e) {
    admin.log.warn(`users: could not end the HiveMatrix sessions of ${username}; revoke them on Core's sessions page`, {
      user: admin.actor.username,
      target: username,
      error: e,
    });
    return 0;
  }
}

async function checkCompany(admin: UserAdmin, company: string): Promise<void> {
  let exists: boolean | null;
  try {
    exists = await admin.companyExists(company);
  } catch {
    throw new UserActionError(503, "Codex could not be reached to check this account number; try again.", "company");
  }
  if (exists === false)
    throw new UserActionError(422, `Codex has no company with the account number ${company}.`, "company");
}

/** Refuses what would lock everyone out: disabling, demoting or deleting the last enabled admin. */
async function keepAnAdmin(admin: UserAdmin, target: UserView, what: string): Promise<void> {
  if (target.level !== "admin" || !target.enabled) return;
  const ids = await groupIds(admin);
  const members = await admin.kc.allGroupMembers(admin.realm, ids.get(LEVEL_GROUP.admin)!);
  const admins = members.filter((member) => member.enabled);
  if (admins.length <= 1)
    throw new UserActionError(
      409,
      `${target.username} is the last enabled admin: ${what} would lock everyone out of HiveMatrix's admin` +
        " pages. Make someone else an admin first.",
    );
}

const who = (user: Pick<UserView, "username" | "level" | "company">) =>
  `${user.username} (${user.level ?? "no level"}${user.company ? `, company ${user.company}` : ""})`;

/**
 * Creates a user in the level's group (and with the company, for a client user) with a generated
 * password, all in one request to the identity provider, so a failure leaves nothing behind.
 * The password is returned to show once; it is never stored or logged.
 */
async function create(admin: UserAdmin, input: CreateInput): Promise<{ user: UserView; password: string }> {
  const company = input.level === "client" ? input.company! : null;
  if (company) await checkCompany(admin, company);
  return guarded(async () => {
    const password = generatePassword();
    const id = await admin.kc.createUser(admin.realm, {
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
    const user = await getUser(admin.kc, admin.realm, id);
    admin.log.info(`users: ${admin.actor.username} created ${who(user)}`, {
      user: admin.actor.username,
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
  admin: UserAdmin,
  id: string,
  changes: UpdateBody,
): Promise<{ user: UserView; sessionsEnded: number }> {
  const before = await getUser(admin.kc, admin.realm, id);
  const level = changes.level ?? before.level;
  if (!level) throw new UserActionError(422, "Choose a level for this user.", "level");
  const company = level === "client" ? (changes.company === undefined ? before.company : changes.company) : null;
  if (level === "client" && !company)
    throw new UserActionError(422, "A client user needs the account number of their company.", "company");
  const enabled = changes.enabled ?? before.enabled;
  const self = before.id === admin.actor.sub;
  if (self && !enabled) throw new UserActionError(409, "You cannot disable your own account.", "enabled");
  if (self && level !== before.level)
    throw new UserActionError(409, "You cannot change your own level; ask another admin.", "level");
  if (!enabled || level !== "admin")
    await keepAnAdmin(admin, before, !enabled ? "disabling them" : "changing their level");
  if (company && company !== before.company) await checkCompany(admin, company);

  return guarded(async () => {
    const edit: Parameters<KeycloakAdmin["editUser"]>[2] = {
      enabled,
      attributes: { company: company ? [company] : [] },
    };
    if (changes.first_name !== undefined) edit.firstName = changes.first_name || undefined;
    if (changes.last_name !== undefined) edit.lastName = changes.last_name || undefined;
    if (changes.email !== undefined) edit.email = changes.email;
    await admin.kc.editUser(admin.realm, id, edit);

    const others = HIVEMATRIX_GROUPS.filter((g) => g !== LEVEL_GROUP[level] && before.groups.includes(g));
    if (!before.groups.includes(LEVEL_GROUP[level]) || others.length) {
      const ids = await groupIds(admin);
      // Join the new group before leaving the old ones, so a failure half-way never leaves the user in none.
      if (!before.groups.includes(LEVEL_GROUP[level]))
        await admin.kc.addUserToGroup(admin.realm, id, ids.get(LEVEL_GROUP[level])!);
      for (const g of others) await admin.kc.removeUserFromGroup(admin.realm, id, ids.get(g)!);
    }
    const user = await getUser(admin.kc, admin.realm, id);
    const accessChanged =
      user.enabled !== before.enabled || user.level !== before.level || user.company !== before.company;
    const sessionsEnded = accessChanged && !self ? await endSessionsOf(admin, id, user.username) : 0;
    const what = [
      user.enabled !== before.enabled && (user.enabled ? "enabled" : "disabled"),
      user.level !== before.level && `level ${before.level ?? "none"} → ${user.level}`,
      user.company !== before.company && `company ${before.company ?? "none"} → ${user.company ?? "none"}`,
      (user.first_name !== before.first_name || user.last_name !== before.last_name) && "name",
      user.email !== before.email && "email",
    ].filter(Boolean);
    admin.log.info(
      `users: ${admin.actor.username} updated ${user.username}${what.length ? `: ${what.join(", ")}` : " (no change)"}`,
      {
        user: admin.actor.username,
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
  admin: UserAdmin,
  id: string,
  temporary: boolean,
): Promise<{ user: UserView; password: string; sessionsEnded: number }> {
  const target = await getUser(admin.kc, admin.realm, id);
  return guarded(async () => {
    const password = generatePassword();
    await admin.kc.resetPassword(admin.realm, id, password, temporary);
    const sessionsEnded = id === admin.actor.sub ? 0 : await endSessionsOf(admin, id, target.username);
    admin.log.info(`users: ${admin.actor.username} reset the password of ${target.username}`, {
      user: admin.actor.username,
      action: "user.reset_password",
      target: target.username,
      temporary,
      sessions_ended: sessionsEnded,
    });
    return { user: await getUser(admin.kc, admin.realm, id), password, sessionsEnded };
  });
}

/** Deletes a user, never the admin doing it nor the last enabled admin, and ends their sessions. */
async function remove(admin: UserAdmin, id: string): Promise<{ user: UserView; sessionsEnded: number }> {
  const target = await getUser(admin.kc, admin.realm, id);
  if (target.id === admin.actor.sub) throw new UserActionError(409, "You cannot delete your own account.");
  await keepAnAdmin(admin, target, "deleting them");
  return guarded(async () => {
    await admin.kc.deleteUser(admin.realm, id);
    const sessionsEnded = await endSessionsOf(admin, id, target.username);
    admin.log.info(`users: ${admin.actor.username} deleted ${who(target)}`, {
      user: admin.actor.username,
      action: "user.delete",
      target: target.username,
      sessions_ended: sessionsEnded,
    });
    return { user: target, sessionsEnded };
  });
}

/** Runs a change; a refusal is logged with who tried what before it reaches the admin. */
async function attempt<T>(admin: UserAdmin, action: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const refusal = explain(e);
    admin.log.warn(`users: ${admin.actor.username} could not ${what}: ${refusal.message}`, {
      user: admin.actor.username,
      action,
      status: refusal.status,
      field: refusal.field,
    });
    throw refusal;
  }
}

export const createUser = (admin: UserAdmin, input: CreateInput) =>
  attempt(admin, "user.create", `create ${input.username}`, () => create(admin, input));
export const updateUser = (admin: UserAdmin, id: string, changes: UpdateBody) =>
  attempt(admin, "user.update", `update user ${id}`, () => update(admin, id, changes));
export const resetPassword = (admin: UserAdmin, id: string, temporary: boolean) =>
  attempt(admin, "user.reset_password", `reset the password of user ${id}`, () => reset(admin, id, temporary));
export const deleteUser = (admin: UserAdmin, id: string) =>
  attempt(admin, "user.delete", `delete user ${id}`, () => remove(admin, id));
