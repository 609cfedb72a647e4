import {
  UPDATE_PASSWORD,
  type GroupRepresentation,
  type ProtocolMapperRepresentation,
  type ClientRepresentation,
  type RealmRepresentation,
  type UserProfileConfig,
  type UserRepresentation,
} from "../../keycloak-admin.ts";

export type FakeUser = UserRepresentation & {
  id: string;
  password?: string;
  groupIds: Set<string>;
  /** How many times the admin API ended this user's sessions. */
  logouts: number;
};

export interface FakeRealm {
  rep: RealmRepresentation;
  clients: Map<string, ClientRepresentation & { mappers: ProtocolMapperRepresentation[] }>;
  groups: Map<string, GroupRepresentation>;
  users: Map<string, FakeUser>;
  profile: UserProfileConfig;
}

export const json = (body: unknown, status = 200) => Response.json(body, { status });
export const noContent = () => new Response(null, { status: 204 });
export const error = (status: number, body: Record<string, unknown>) => json(body, status);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Keycloak's `search`: every word must match username, email, first or last name (prefix; `*` wildcard; `"x"` exact). */
function searchMatches(u: FakeUser, search: string): boolean {
  const fields = [u.username, u.email, u.firstName, u.lastName].map((f) => (f ?? "").toLowerCase());
  return search
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => {
      const w = word.toLowerCase();
      if (w.length >= 2 && w.startsWith('"') && w.endsWith('"')) return fields.includes(w.slice(1, -1));
      const pattern = w.endsWith("*") ? w : `${w}*`;
      const re = new RegExp(
        `^${pattern
          .split("*")
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
        "s",
      );
      return fields.some((f) => re.test(f));
    });
}

function fieldMatches(value: string | undefined, wanted: string | null, exact: boolean): boolean {
  if (wanted === null) return true;
  const v = (value ?? "").toLowerCase();
  return exact ? v === wanted.toLowerCase() : v.includes(wanted.toLowerCase());
}

const clean = (s: unknown) => (typeof s === "string" && s.trim() !== "" ? s.trim() : undefined);

const access = { manageGroupMembership: true, view: true, mapRoles: true, impersonate: false, manage: true };

export const publicUser = (u: FakeUser, brief = false): UserRepresentation => {
  const rep: UserRepresentation = {
    id: u.id,
    username: u.username,
    ...(u.firstName ? { firstName: u.firstName } : {}),
    ...(u.lastName ? { lastName: u.lastName } : {}),
    ...(u.email ? { email: u.email } : {}),
    emailVerified: u.emailVerified ?? false,
    createdTimestamp: u.createdTimestamp,
    enabled: u.enabled ?? false,
    access,
  };
  if (brief) return rep;
  return {
    ...rep,
    ...(u.attributes && Object.keys(u.attributes).length ? { attributes: u.attributes } : {}),
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: u.requiredActions ?? [],
    notBefore: 0,
  };
};
export const sortedUsers = (users: Iterable<FakeUser>) =>
  [...users].sort((a, b) => a.username.localeCompare(b.username));
export const page = <T>(items: T[], q: URLSearchParams) => {
  const first = Math.max(0, Number(q.get("first") ?? 0) || 0);
  const max = Number(q.get("max") ?? 100);
  return items.slice(first, first + (Number.isFinite(max) && max >= 0 ? max : 100));
};
const groupByPath = (realm: FakeRealm, path: string) =>
  [...realm.groups.values()].find((g) => g.name === path.replace(/^\/+/, ""));
const emailTaken = (realm: FakeRealm, email: string | undefined, except?: string) =>
  Boolean(email) && [...realm.users.values()].some((u) => u.email === email && u.id !== except);
const invalidEmail = (email: string) =>
  error(400, { field: "email", errorMessage: "error-invalid-email", params: ["email", email] });

export function filterUsers(realm: FakeRealm, q: URLSearchParams): FakeUser[] {
  const exact = q.get("exact") === "true";
  const search = q.get("search");
  const enabled = q.get("enabled");
  return sortedUsers(realm.users.values()).filter(
    (u) =>
      (search === null || search.trim() === "*" || searchMatches(u, search)) &&
      (search !== null ||
        (fieldMatches(u.username, q.get("username"), exact) &&
          fieldMatches(u.email, q.get("email"), exact) &&
          fieldMatches(u.firstName, q.get("firstName"), exact) &&
          fieldMatches(u.lastName, q.get("lastName"), exact))) &&
      (enabled === null || (u.enabled ?? false) === (enabled === "true")),
  );
}

export interface UsersRequest {
  realm: FakeRealm;
  method: string;
  objectId: string | undefined;
  sub: string | undefined;
  subKind: string | undefined;
  body: unknown;
  q: URLSearchParams;
  created: (rest: string) => Response;
  id: () => string;
}

/** Answers `/admin/realms/{realm}/users/...` as Keycloak 26 does; null when no route matches. */
export function answerUsers(request: UsersRequest): Response | null {
  const { realm, method, objectId, sub, subKind, body, q, created, id } = request;
  if (objectId === "profile") {
    if (method === "GET") return json(realm.profile);
    if (method === "PUT") {
      realm.profile = body as UserProfileConfig;
      return json(realm.profile);
    }
  }
  if (objectId === "count" && method === "GET") return json(filterUsers(realm, q).length);
  if (!objectId && method === "GET") {
    const brief = q.get("briefRepresentation") === "true";
    return json(page(filterUsers(realm, q), q).map((u) => publicUser(u, brief)));
  }
  if (!objectId && method === "POST") {
    const rep = (body ?? {}) as UserRepresentation;
    const username = clean(rep.username)?.toLowerCase();
    if (!username) return error(400, { errorMessage: "User name is missing" });
    const email = clean(rep.email)?.toLowerCase();
    if (email && !EMAIL.test(email)) return invalidEmail(email);
    if ([...realm.users.values()].some((u) => u.username === username))
      return error(409, { errorMessage: "User exists with same username" });
    if (emailTaken(realm, email)) return error(409, { errorMessage: "User exists with same email" });
    const groupIds = new Set<string>();
    for (const path of rep.groups ?? []) {
      const g = groupByPath(realm, path);
      if (!g) return error(400, { errorMessage: `Unable to find group specified by path: ${path}` });
      groupIds.add(g.id!);
    }
    const credential = rep.credentials?.find((c) => c.type === "password");
    const requiredActions = [
      ...new Set([...(rep.requiredActions ?? []), ...(credential?.temporary ? [UPDATE_PASSWORD] : [])]),
    ];
    const uid = id();
    realm.users.set(uid, {
      id: uid,
      username,
      email,
      firstName: clean(rep.firstName),
      lastName: clean(rep.lastName),
      enabled: rep.enabled ?? false,
      emailVerified: rep.emailVerified ?? false,
      attributes: rep.attributes ?? {},
      requiredActions,
      createdTimestamp: Date.now(),
      password: credential?.value,
      groupIds,
      logouts: 0,
    });
    return created(`users/${uid}`);
  }
  const user = realm.users.get(objectId ?? "");
  if (!user) return error(404, { error: "User not found" });
  if (!sub && method === "GET") return json(publicUser(user));
  if (!sub && method === "PUT") {
    const rep = (body ?? {}) as Partial<UserRepresentation>;
    if (rep.username !== undefined && rep.username.toLowerCase() !== user.username)
      return error(400, {
        field: "username",
        errorMessage: "error-user-attribute-read-only",
        params: ["username"],
      });
    // Keycloak 24+: with `attributes`, the body is the whole profile (names and email left out are cleared); without, only what is given changes.
    const whole = rep.attributes !== undefined;
    const email = whole || rep.email !== undefined ? clean(rep.email)?.toLowerCase() : user.email;
    if (email && !EMAIL.test(email)) return invalidEmail(email);
    if (emailTaken(realm, email, user.id)) return error(409, { errorMessage: "User exists with same email" });
    user.email = email;
    if (whole || rep.firstName !== undefined) user.firstName = clean(rep.firstName);
    if (whole || rep.lastName !== undefined) user.lastName = clean(rep.lastName);
    if (whole) user.attributes = rep.attributes;
    if (rep.enabled !== undefined) user.enabled = rep.enabled;
    if (rep.emailVerified !== undefined) user.emailVerified = rep.emailVerified;
    if (rep.requiredActions !== undefined) user.requiredActions = rep.requiredActions;
    return noContent();
  }
  if (!sub && method === "DELETE") {
    realm.users.delete(user.id);
    return noContent();
  }
  if (sub === "reset-password" && method === "PUT") {
    const cred = (body ?? {}) as { value?: string; temporary?: boolean };
    if (!cred.value) return error(400, { error: "missing_password", error_description: "No password provided" });
    user.password = cred.value;
    const others = (user.requiredActions ?? []).filter((a) => a !== UPDATE_PASSWORD);
    user.requiredActions = cred.temporary ? [...others, UPDATE_PASSWORD] : others;
    return noContent();
  }
  if (sub === "logout" && !subKind && method === "POST") {
    user.logouts++;
    return noContent();
  }
  if (sub === "groups" && !subKind && method === "GET") {
    return json(
      [...user.groupIds]
        .map((g) => realm.groups.get(g)!)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(({ id: gid, name, path }) => ({ id: gid, name, path })),
    );
  }
  if (sub === "groups" && subKind) {
    if (!realm.groups.has(subKind)) return error(404, { error: "Group not found" });
    if (method === "PUT") {
      user.groupIds.add(subKind);
      return noContent();
    }
    if (method === "DELETE") {
      user.groupIds.delete(subKind);
      return noContent();
    }
  }
  return null;
}
