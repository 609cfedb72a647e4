import type { Server } from "bun";
import type { ClientRepresentation, ProtocolMapperRepresentation, RealmRepresentation } from "../keycloak-admin.ts";
import {
  answerUsers,
  error,
  type FakeRealm,
  json,
  noContent,
  page,
  publicUser,
  sortedUsers,
} from "./fake-keycloak/users.ts";

export type { FakeUser } from "./fake-keycloak/users.ts";

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
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
      const answer = answerUsers({ realm, method, objectId, sub, subKind, body, q, created, id });
      if (answer) return answer;
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
