import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import {
  type KeycloakAdmin,
  KeycloakAdminError,
  UPDATE_PASSWORD,
  type UserRepresentation,
} from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import type { Deps } from "../deps.ts";
import { HIVEMATRIX_GROUPS, levelOfGroups, type UserView } from "./json.ts";

/** Who acts, and what user management needs around the identity provider. */
export interface UserAdmin {
  kc: KeycloakAdmin;
  realm: string;
  /** The admin doing it: their IdP id (`sub`) and username. */
  actor: { sub: string; username: string };
  log: Logger;
  /** Whether Codex has a company with this account number; null when Codex is not part of the platform. */
  companyExists(accountNumber: string): Promise<boolean | null>;
  /**
   * Ends the person's HiveMatrix sessions at Core (so a change of level or a disable takes effect
   * at once); how many.
   */
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

function view(account: UserRepresentation, groups: string[]): UserView {
  return {
    id: account.id!,
    username: account.username,
    first_name: account.firstName ?? null,
    last_name: account.lastName ?? null,
    email: account.email ?? null,
    enabled: account.enabled ?? false,
    level: levelOfGroups(groups),
    groups: [...groups].sort(),
    company: account.attributes?.company?.[0] ?? null,
    created_at: account.createdTimestamp ? new Date(account.createdTimestamp).toISOString() : null,
    password_change_required: (account.requiredActions ?? []).includes(UPDATE_PASSWORD),
  };
}

/** The identity provider's refusals and failures, in words for the admin (never with credentials). */
export function explain(e: unknown): UserActionError {
  if (e instanceof UserActionError) return e;
  if (e instanceof KeycloakAdminError) {
    if (e.path === "token")
      return new UserActionError(
        503,
        `Helm could not sign in to the identity provider's admin API (${e.detail || e.status}).` +
          " Check HIVEMATRIX_HOME/secrets/keycloak-admin.secret or KEYCLOAK_ADMIN_USER/KEYCLOAK_ADMIN_PASSWORD.",
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

/** Runs a call to the identity provider; whatever goes wrong reaches the admin as a UserActionError. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw explain(e);
  }
}

/** HiveMatrix's groups in the realm by name → id; a realm without them is not set up (503). */
export async function groupIds(admin: UserAdmin): Promise<Map<string, string>> {
  const groups = await admin.kc.listGroups(admin.realm);
  const ids = new Map(groups.map((g) => [g.name, g.id!]));
  const missing = HIVEMATRIX_GROUPS.filter((g) => !ids.has(g));
  if (missing.length)
    throw new UserActionError(
      503,
      `The realm ${admin.realm} has no group ${missing.join(", ")}; run \`bun run keycloak:setup\`.`,
    );
  return ids;
}

const groupNames = async (kc: KeycloakAdmin, realm: string, id: string) =>
  (await kc.userGroups(realm, id)).map((g) => g.name);

/**
 * One page of users matching `q` (Keycloak's search: each word a prefix of username, email or
 * name), with their groups.
 */
export async function listUsers(
  kc: KeycloakAdmin,
  realm: string,
  page: { q?: string; first: number; max: number },
): Promise<{ users: UserView[]; total: number }> {
  return guarded(async () => {
    const [accounts, total] = await Promise.all([
      kc.searchUsers(realm, { search: page.q, first: page.first, max: page.max }),
      kc.countUsers(realm, { search: page.q }),
    ]);
    const users = await Promise.all(
      accounts.map(async (account) => view(account, await groupNames(kc, realm, account.id!))),
    );
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

/** The signed-in admin managing users through the identity provider's admin API. */
export function userAdminOf(
  c: Context<AppEnv>,
  deps: Pick<Deps, "keycloak" | "config" | "companyExists" | "endSessions">,
): UserAdmin {
  const kc = deps.keycloak();
  if (!kc)
    throw new UserActionError(
      503,
      "Helm has no admin account for the identity provider: start HiveMatrix with `bun run start`" +
        " (it writes secrets/keycloak-admin.secret) or set KEYCLOAK_ADMIN_PASSWORD.",
    );
  const user = c.get("user")!;
  return {
    kc,
    realm: deps.config.idp.realm,
    actor: { sub: user.sub, username: user.preferred_username },
    log: c.get("log"),
    companyExists: deps.companyExists,
    endSessions: deps.endSessions,
  };
}
