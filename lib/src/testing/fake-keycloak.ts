import type { Server } from "bun";
import {
  UPDATE_PASSWORD,
  type ClientRepresentation,
  type GroupRepresentation,
  type ProtocolMapperRepresentation,
  type RealmRepresentation,
  type UserProfileConfig,
  type UserRepresentation,
} from "../keycloak-admin.ts";

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export type FakeUser = UserRepresentation & {
  id: string;
  password?: string;
  groupIds: Set<string>;
  /** How many times the admin API ended this user's sessions. */
  logouts: number;
};

interface FakeRealm {
  rep: RealmRepresentation;
  clients: Map<string, ClientRepresentation & { mappers: ProtocolMapperRepresentation[] }>;
  groups: Map<string, GroupRepresentation>;
  users: Map<string, FakeUser>;
  profile: UserProfileConfig;
}

export interface FakeKeycloak {
  url: string;
  admin: { username: string; password: string };
  /** Every admin API call in order (the token endpoint excluded), for tests to inspect. */
  calls: RecordedCall[];
  /** Calls that changed something (anything but GET). */
  writes(): RecordedCall[];
  realms: Map<string, FakeRealm>;
  /** Admin calls whose path and query match answer with this status instead (tests of failure handling). */
  failures: { match: RegExp; status: number }[];
  stop(): void;
}

export interface FakeKeycloakOptions {
  username?: string;
  password?: string;
  port?: number;
  /** Realms that exist from the start, with their top-level groups. */
  realms?: Record<string, { groups?: string[] }>;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const noContent = () => new Response(null, { status: 204 });
const error = (status: number, body: Record<string, unknown>) => json(body, status);
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

/**
 * An in-memory stand-in for Keycloak's admin REST API (the subset lib/keycloak-admin uses),
 * recording every call, so set-up scripts and user management can be tested without Keycloak.
 * The admin signs in with `username`/`password` on the master realm. The users-and-groups
 * part answers as Keycloak 26 does and as the dev IdP does: the shared contract suite
 * (testing/keycloak-admin-contract) runs against both.
 */
export function startFakeKeycloak(o: FakeKeycloakOptions = {}): FakeKeycloak {
  const admin = { username: o.username ?? "admin", password: o.password ?? "fake-admin-password" };
  const tokens = new Set<string>();
  const calls: RecordedCall[] = [];
  const realms = new Map<string, FakeRealm>();
  const failures: FakeKeycloak["failures"] = [];
  const id = () => crypto.randomUUID();
  let origin = "";

  const newRealm = (rep: RealmRepresentation): FakeRealm => ({
    rep: { ...rep, id: rep.realm },
    clients: new Map(),
    groups: new Map(),
    users: new Map(),
    profile: {
      attributes: [{ name: "username" }, { name: "email" }, { name: "firstName" }, { name: "lastName" }],
      groups: [],
    },
  });
  const addGroup = (realm: FakeRealm, name: string) => {
    const gid = id();
    realm.groups.set(gid, { id: gid, name, path: `/${name}` });
    return gid;
  };
  for (const [name, spec] of Object.entries(o.realms ?? {})) {
    const realm = newRealm({ realm: name, enabled: true });
    for (const g of spec.groups ?? []) addGroup(realm, g);
    realms.set(name, realm);
  }

  const access = { manageGroupMembership: true, view: true, mapRoles: true, impersonate: false, manage: true };
  const publicUser = (u: FakeUser, brief = false): UserRepresentation => {
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
  const sortedUsers = (users: Iterable<FakeUser>) => [...users].sort((a, b) => a.username.localeCompare(b.username));
  const page = <T>(items: T[], q: URLSearchParams) => {
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

  function filterUsers(realm: FakeRealm, q: URLSearchParams): FakeUser[] {
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

  async function admin_(req: Request, path: string): Promise<Response> {
    const method = req.method;
    const body = method === "GET" || method === "DELETE" ? undefined : await req.json().catch(() => undefined);
    calls.push({ method, path: path + new URL(req.url).search, body });
    const failure = failures.find((f) => f.match.test(path + new URL(req.url).search));
    if (failure) return error(failure.status, { error: `injected ${failure.status}` });
    const q = new URL(req.url).searchParams;
    const p = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (p[0] !== "realms") return error(404, { error: "HTTP 404 Not Found" });
    if (p.length === 1 && method === "POST") {
      const rep = body as RealmRepresentation;
      if (realms.has(rep.realm)) return json({ errorMessage: "Conflict detected. See logs for details" }, 409);
      realms.set(rep.realm, newRealm(rep));
      return new Response(null, { status: 201, headers: { location: `${origin}/admin/realms/${rep.realm}` } });
    }
    const realm = realms.get(p[1] ?? "");
    if (!realm) return error(404, { error: "Realm not found." });
    const realmPath = `${origin}/admin/realms/${p[1]}`;
    const created = (rest: string) =>
      new Response(null, { status: 201, headers: { location: `${realmPath}/${rest}` } });
    if (p.length === 2) {
      if (method === "GET") return json(realm.rep);
      if (method === "PUT") {
        realm.rep = { ...realm.rep, ...(body as object) };
        return noContent();
      }
      if (method === "DELETE") {
        realms.delete(p[1]!);
        return noContent();
      }
    }
    const [, , kind, objectId, sub, subKind, subId] = p;
    if (kind === "clients") {
      if (!objectId && method === "GET") {
        const wanted = q.get("clientId");
        return json(
          [...realm.clients.values()].filter((c) => !wanted || c.clientId === wanted).map(({ mappers: _m, ...c }) => c),
        );
      }
      if (!objectId && method === "POST") {
        const rep = body as ClientRepresentation;
        if ([...realm.clients.values()].some((c) => c.clientId === rep.clientId))
          return json({ errorMessage: `Client ${rep.clientId} already exists` }, 409);
        const cid = id();
        realm.clients.set(cid, { ...rep, id: cid, mappers: [] });
        return created(`clients/${cid}`);
      }
      const client = realm.clients.get(objectId ?? "");
      if (!client) return error(404, { error: "Could not find client" });
      if (!sub && method === "GET") return json({ ...client, mappers: undefined });
      if (!sub && method === "PUT") {
        Object.assign(client, body as object, { id: client.id, mappers: client.mappers });
        return noContent();
      }
      if (sub === "client-secret" && method === "GET") return json({ type: "secret", value: client.secret ?? null });
      if (sub === "protocol-mappers" && subKind === "models") {
        if (!subId && method === "GET") return json(client.mappers);
        if (!subId && method === "POST") {
          const mapper = { ...(body as ProtocolMapperRepresentation), id: id() };
          if (client.mappers.some((m) => m.name === mapper.name))
            return json({ errorMessage: `Protocol mapper exists with same name` }, 409);
          client.mappers.push(mapper);
          return created(`clients/${client.id}/protocol-mappers/models/${mapper.id}`);
        }
        const i = client.mappers.findIndex((m) => m.id === subId);
        if (i < 0) return error(404, { error: "Model not found" });
        if (method === "PUT") client.mappers[i] = { ...(body as ProtocolMapperRepresentation), id: subId };
        return noContent();
      }
    }
    if (kind === "groups") {
      if (!objectId && method === "GET") {
        const search = q.get("search")?.toLowerCase();
        const exact = q.get("exact") === "true";
        const groups = [...realm.groups.values()]
          .filter(
            (g) =>
              search === undefined || (exact ? g.name.toLowerCase() === search : g.name.toLowerCase().includes(search)),
          )
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((g) => ({ ...g, subGroupCount: 0, subGroups: [] }));
        return json(page(groups, q));
      }
      if (!objectId && method === "POST") {
        const { name } = body as { name: string };
        if ([...realm.groups.values()].some((g) => g.name === name))
          return json({ errorMessage: `Top level group named '${name}' already exists.` }, 409);
        return created(`groups/${addGroup(realm, name)}`);
      }
      if (objectId && sub === "members" && method === "GET") {
        if (!realm.groups.has(objectId)) return error(404, { error: "Could not find group by id" });
        const brief = q.get("briefRepresentation") === "true";
        return json(
          page(sortedUsers([...realm.users.values()].filter((u) => u.groupIds.has(objectId))), q).map((u) =>
            publicUser(u, brief),
          ),
        );
      }
    }
    if (kind === "users") {
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
    }
    return error(404, { error: "HTTP 404 Not Found" });
  }

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: o.port ?? 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/realms/master/protocol/openid-connect/token" && req.method === "POST") {
        const form = new URLSearchParams(await req.text());
        if (form.get("grant_type") !== "password")
          return json({ error: "unsupported_grant_type", error_description: "Unsupported grant_type" }, 400);
        if (form.get("client_id") !== "admin-cli")
          return json(
            { error: "invalid_client", error_description: "Invalid client or Invalid client credentials" },
            401,
          );
        if (form.get("username") !== admin.username || form.get("password") !== admin.password) {
          return json({ error: "invalid_grant", error_description: "Invalid user credentials" }, 401);
        }
        const token = crypto.randomUUID();
        tokens.add(token);
        return json({
          access_token: token,
          expires_in: 60,
          refresh_expires_in: 0,
          token_type: "Bearer",
          "not-before-policy": 0,
          scope: "profile email",
        });
      }
      if (url.pathname.startsWith("/admin/")) {
        const bearer = req.headers.get("authorization")?.replace(/^Bearer /, "");
        if (!bearer || !tokens.has(bearer)) return json({ error: "HTTP 401 Unauthorized" }, 401);
        return admin_(req, url.pathname.slice("/admin".length));
      }
      return error(404, { error: "HTTP 404 Not Found" });
    },
  });
  origin = `http://127.0.0.1:${server.port}`;

  return {
    url: origin,
    admin,
    calls,
    writes: () => calls.filter((c) => c.method !== "GET"),
    realms,
    failures,
    stop: () => void server.stop(true),
  };
}
