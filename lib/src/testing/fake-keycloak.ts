import type { Server } from "bun";
import type { ClientRepresentation, GroupRepresentation, ProtocolMapperRepresentation, RealmRepresentation, UserProfileConfig, UserRepresentation } from "../keycloak-admin.ts";

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

interface FakeRealm {
  rep: RealmRepresentation;
  clients: Map<string, ClientRepresentation & { mappers: ProtocolMapperRepresentation[] }>;
  groups: Map<string, GroupRepresentation>;
  users: Map<string, UserRepresentation & { password?: string; groupIds: Set<string> }>;
  profile: UserProfileConfig;
}

export interface FakeKeycloak {
  url: string;
  /** Every admin API call in order (the token endpoint excluded), for tests to inspect. */
  calls: RecordedCall[];
  /** Calls that changed something (anything but GET). */
  writes(): RecordedCall[];
  realms: Map<string, FakeRealm>;
  stop(): void;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const created = (location: string) => new Response(null, { status: 201, headers: { location } });
const notFound = (what: string) => json({ error: `${what} not found` }, 404);

/**
 * An in-memory stand-in for Keycloak's admin REST API (the subset lib/keycloak-admin uses),
 * recording every call, so set-up scripts and user management can be tested without Keycloak.
 * The admin signs in with `username`/`password` on the master realm.
 */
export function startFakeKeycloak(o: { username?: string; password?: string; port?: number } = {}): FakeKeycloak {
  const admin = { username: o.username ?? "admin", password: o.password ?? "fake-admin-password" };
  const tokens = new Set<string>();
  const calls: RecordedCall[] = [];
  const realms = new Map<string, FakeRealm>();
  const id = () => crypto.randomUUID();

  const newRealm = (rep: RealmRepresentation): FakeRealm => ({
    rep: { ...rep, id: rep.realm },
    clients: new Map(),
    groups: new Map(),
    users: new Map(),
    profile: { attributes: [{ name: "username" }, { name: "email" }, { name: "firstName" }, { name: "lastName" }], groups: [] },
  });
  const publicUser = (u: UserRepresentation & { password?: string; groupIds: Set<string> }): UserRepresentation => {
    const { password: _p, groupIds: _g, credentials: _c, ...rest } = u;
    return rest;
  };

  async function admin_(req: Request, path: string): Promise<Response> {
    const method = req.method;
    const body = method === "GET" || method === "DELETE" ? undefined : await req.json().catch(() => undefined);
    calls.push({ method, path: path + new URL(req.url).search, body });
    const q = new URL(req.url).searchParams;
    const p = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (p[0] !== "realms") return notFound("path");
    if (p.length === 1 && method === "POST") {
      const rep = body as RealmRepresentation;
      if (realms.has(rep.realm)) return json({ errorMessage: "Conflict detected. See logs for details" }, 409);
      realms.set(rep.realm, newRealm(rep));
      return created(`/admin/realms/${rep.realm}`);
    }
    const realm = realms.get(p[1] ?? "");
    if (!realm) return notFound("Realm");
    if (p.length === 2) {
      if (method === "GET") return json(realm.rep);
      if (method === "PUT") return (realm.rep = { ...realm.rep, ...(body as object) }), new Response(null, { status: 204 });
    }
    const [, , kind, objectId, sub, subKind, subId] = p;
    if (kind === "clients") {
      if (!objectId && method === "GET") {
        const wanted = q.get("clientId");
        return json([...realm.clients.values()].filter((c) => !wanted || c.clientId === wanted).map(({ mappers: _m, ...c }) => c));
      }
      if (!objectId && method === "POST") {
        const rep = body as ClientRepresentation;
        if ([...realm.clients.values()].some((c) => c.clientId === rep.clientId)) return json({ errorMessage: `Client ${rep.clientId} already exists` }, 409);
        const cid = id();
        realm.clients.set(cid, { ...rep, id: cid, mappers: [] });
        return created(`/admin/realms/${p[1]}/clients/${cid}`);
      }
      const client = realm.clients.get(objectId ?? "");
      if (!client) return notFound("Client");
      if (!sub && method === "GET") return json({ ...client, mappers: undefined });
      if (!sub && method === "PUT") {
        Object.assign(client, body as object, { id: client.id, mappers: client.mappers });
        return new Response(null, { status: 204 });
      }
      if (sub === "client-secret" && method === "GET") return json({ type: "secret", value: client.secret ?? null });
      if (sub === "protocol-mappers" && subKind === "models") {
        if (!subId && method === "GET") return json(client.mappers);
        if (!subId && method === "POST") {
          const mapper = { ...(body as ProtocolMapperRepresentation), id: id() };
          if (client.mappers.some((m) => m.name === mapper.name)) return json({ errorMessage: `Protocol mapper exists with same name` }, 409);
          client.mappers.push(mapper);
          return created(`/admin/realms/${p[1]}/clients/${client.id}/protocol-mappers/models/${mapper.id}`);
        }
        const i = client.mappers.findIndex((m) => m.id === subId);
        if (i < 0) return notFound("Protocol mapper");
        if (method === "PUT") return (client.mappers[i] = { ...(body as ProtocolMapperRepresentation), id: subId }), new Response(null, { status: 204 });
      }
    }
    if (kind === "groups") {
      if (!objectId && method === "GET") return json([...realm.groups.values()]);
      if (!objectId && method === "POST") {
        const { name } = body as { name: string };
        if ([...realm.groups.values()].some((g) => g.name === name)) return json({ errorMessage: `Top level group named '${name}' already exists.` }, 409);
        const gid = id();
        realm.groups.set(gid, { id: gid, name, path: `/${name}` });
        return created(`/admin/realms/${p[1]}/groups/${gid}`);
      }
      if (objectId && sub === "members" && method === "GET") {
        return json([...realm.users.values()].filter((u) => u.groupIds.has(objectId)).map(publicUser));
      }
    }
    if (kind === "users") {
      if (objectId === "profile") {
        if (method === "GET") return json(realm.profile);
        if (method === "PUT") return (realm.profile = body as UserProfileConfig), json(realm.profile);
      }
      if (!objectId && method === "GET") {
        const username = q.get("username")?.toLowerCase();
        const search = q.get("search")?.toLowerCase();
        const first = Number(q.get("first") ?? 0);
        const max = Number(q.get("max") ?? 100);
        const users = [...realm.users.values()].filter((u) => (!username || (q.get("exact") === "true" ? u.username === username : u.username.includes(username))) && (!search || u.username.includes(search) || (u.email ?? "").includes(search)));
        return json(users.slice(first, first + max).map(publicUser));
      }
      if (!objectId && method === "POST") {
        const rep = body as UserRepresentation;
        const username = rep.username.toLowerCase();
        if ([...realm.users.values()].some((u) => u.username === username)) return json({ errorMessage: "User exists with same username" }, 409);
        const uid = id();
        realm.users.set(uid, { ...rep, username, id: uid, password: rep.credentials?.[0]?.value, credentials: undefined, groupIds: new Set() });
        return created(`/admin/realms/${p[1]}/users/${uid}`);
      }
      const user = realm.users.get(objectId ?? "");
      if (!user) return notFound("User");
      if (!sub && method === "GET") return json(publicUser(user));
      if (!sub && method === "PUT") return Object.assign(user, body as object, { id: user.id }), new Response(null, { status: 204 });
      if (!sub && method === "DELETE") return realm.users.delete(user.id!), new Response(null, { status: 204 });
      if (sub === "reset-password" && method === "PUT") return (user.password = (body as { value: string }).value), new Response(null, { status: 204 });
      if (sub === "groups" && !subKind && method === "GET") return json([...user.groupIds].map((g) => realm.groups.get(g)));
      if (sub === "groups" && subKind) {
        if (!realm.groups.has(subKind)) return notFound("Group");
        if (method === "PUT") return user.groupIds.add(subKind), new Response(null, { status: 204 });
        if (method === "DELETE") return user.groupIds.delete(subKind), new Response(null, { status: 204 });
      }
    }
    return json({ error: `unsupported ${method} ${path}` }, 405);
  }

  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: o.port ?? 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/realms/master/protocol/openid-connect/token" && req.method === "POST") {
        const form = new URLSearchParams(await req.text());
        if (form.get("client_id") !== "admin-cli" || form.get("grant_type") !== "password" || form.get("username") !== admin.username || form.get("password") !== admin.password) {
          return json({ error: "invalid_grant", error_description: "Invalid user credentials" }, 401);
        }
        const token = crypto.randomUUID();
        tokens.add(token);
        return json({ access_token: token, expires_in: 60, token_type: "Bearer" });
      }
      if (url.pathname.startsWith("/admin/")) {
        const bearer = req.headers.get("authorization")?.replace(/^Bearer /, "");
        if (!bearer || !tokens.has(bearer)) return json({ error: "HTTP 401 Unauthorized" }, 401);
        return admin_(req, url.pathname.slice("/admin".length));
      }
      return notFound("path");
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    writes: () => calls.filter((c) => c.method !== "GET"),
    realms,
    stop: () => void server.stop(true),
  };
}
