/**
 * A small client for Keycloak's admin REST API (https://www.keycloak.org/docs-api/latest/rest-api/):
 * realms, clients and their secrets and protocol mappers, the user profile, groups and users
 * (and ending a user's sessions).
 * It signs in to the master realm with `admin-cli` and an admin's password, renews its token
 * before it expires, retries reads the network or a restarting server dropped, and raises
 * KeycloakAdminError with the status and Keycloak's message (and the field it names, if any).
 * The dev IdP serves the users-and-groups subset at the same paths, so Helm and Codex use this
 * one client in development and with a real Keycloak.
 */
import { existsSync } from "node:fs";
import { readSecret, secretPath } from "./secrets.ts";
import type {
  ClientRepresentation,
  GroupRepresentation,
  ProtocolMapperRepresentation,
  RealmRepresentation,
  UserProfileConfig,
  UserQuery,
  UserRepresentation,
} from "./keycloak/representations.ts";
import { createAdminTransport, enc, KeycloakAdminError, type KeycloakAdminOptions } from "./keycloak/transport.ts";

export * from "./keycloak/representations.ts";
export { KeycloakAdminError, type KeycloakAdminOptions } from "./keycloak/transport.ts";

function userQueryString(q: UserQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function createKeycloakAdmin(o: KeycloakAdminOptions) {
  const call = createAdminTransport(o);
  const idFromLocation = (location: string | null) => location?.split("/").pop() ?? "";
  const r = (realm: string) => `/realms/${enc(realm)}`;

  return {
    call,

    // Realms
    async getRealm(realm: string): Promise<RealmRepresentation | null> {
      try {
        return (await call<RealmRepresentation>("GET", r(realm))).data;
      } catch (e) {
        if (e instanceof KeycloakAdminError && e.status === 404) return null;
        throw e;
      }
    },
    createRealm: async (rep: RealmRepresentation) => void (await call("POST", "/realms", rep)),
    updateRealm: async (realm: string, rep: Partial<RealmRepresentation>) => void (await call("PUT", r(realm), rep)),
    deleteRealm: async (realm: string) => void (await call("DELETE", r(realm))),

    // Clients
    async findClient(realm: string, clientId: string): Promise<ClientRepresentation | null> {
      const { data } = await call<ClientRepresentation[]>("GET", `${r(realm)}/clients?clientId=${enc(clientId)}`);
      return data.find((c) => c.clientId === clientId) ?? null;
    },
    async createClient(realm: string, rep: ClientRepresentation): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/clients`, rep)).location);
    },
    updateClient: async (realm: string, id: string, rep: ClientRepresentation) =>
      void (await call("PUT", `${r(realm)}/clients/${enc(id)}`, rep)),
    async getClientSecret(realm: string, id: string): Promise<string | null> {
      return (await call<{ value?: string }>("GET", `${r(realm)}/clients/${enc(id)}/client-secret`)).data.value ?? null;
    },
    listClientMappers: async (realm: string, id: string) =>
      (await call<ProtocolMapperRepresentation[]>("GET", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models`))
        .data,
    async createClientMapper(realm: string, id: string, mapper: ProtocolMapperRepresentation): Promise<string> {
      return idFromLocation(
        (await call("POST", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models`, mapper)).location,
      );
    },
    updateClientMapper: async (realm: string, id: string, mapperId: string, mapper: ProtocolMapperRepresentation) =>
      void (await call("PUT", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models/${enc(mapperId)}`, {
        ...mapper,
        id: mapperId,
      })),

    // User profile (Keycloak 24+: attributes a user may carry, e.g. `company`)
    getUserProfile: async (realm: string) => (await call<UserProfileConfig>("GET", `${r(realm)}/users/profile`)).data,
    updateUserProfile: async (realm: string, config: UserProfileConfig) =>
      void (await call("PUT", `${r(realm)}/users/profile`, config)),

    // Groups
    listGroups: async (realm: string) =>
      (await call<GroupRepresentation[]>("GET", `${r(realm)}/groups?briefRepresentation=true&max=1000`)).data,
    /** The top-level group with exactly this name, or null. */
    async findGroup(realm: string, name: string): Promise<GroupRepresentation | null> {
      const { data } = await call<GroupRepresentation[]>(
        "GET",
        `${r(realm)}/groups?search=${enc(name)}&exact=true&briefRepresentation=true`,
      );
      return data.find((g) => g.name === name) ?? null;
    },
    async createGroup(realm: string, name: string): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/groups`, { name })).location);
    },
    /** One page of a group's members, ordered by username. */
    groupMembers: async (realm: string, groupId: string, first = 0, max = 100) =>
      (await call<UserRepresentation[]>("GET", `${r(realm)}/groups/${enc(groupId)}/members?first=${first}&max=${max}`))
        .data,
    /** Every member, read page by page until a short page (a realm may have any number of users). */
    async allGroupMembers(realm: string, groupId: string, pageSize = 100): Promise<UserRepresentation[]> {
      const out: UserRepresentation[] = [];
      for (let first = 0; ; first += pageSize) {
        const page = (
          await call<UserRepresentation[]>(
            "GET",
            `${r(realm)}/groups/${enc(groupId)}/members?first=${first}&max=${pageSize}`,
          )
        ).data;
        out.push(...page);
        if (page.length < pageSize) return out;
      }
    },

    // Users
    async findUser(realm: string, username: string): Promise<UserRepresentation | null> {
      const { data } = await call<UserRepresentation[]>(
        "GET",
        `${r(realm)}/users?username=${enc(username)}&exact=true`,
      );
      return data.find((u) => u.username === username.toLowerCase()) ?? null;
    },
    /** One page of users; Keycloak pages with first/max, so callers loop until a short page. */
    listUsers: async (realm: string, first = 0, max = 100, search?: string) =>
      (await call<UserRepresentation[]>("GET", `${r(realm)}/users${userQueryString({ first, max, search })}`)).data,
    /** Users matching Keycloak's filters, ordered by username. */
    searchUsers: async (realm: string, query: UserQuery = {}) =>
      (await call<UserRepresentation[]>("GET", `${r(realm)}/users${userQueryString(query)}`)).data,
    /** How many users match (paging fields are ignored). */
    countUsers: async (realm: string, query: Omit<UserQuery, "first" | "max" | "briefRepresentation"> = {}) =>
      (await call<number>("GET", `${r(realm)}/users/count${userQueryString(query)}`)).data,
    getUser: async (realm: string, id: string) =>
      (await call<UserRepresentation>("GET", `${r(realm)}/users/${enc(id)}`)).data,
    /** The user, or null when there is none with this id. */
    async findUserById(realm: string, id: string): Promise<UserRepresentation | null> {
      try {
        return (await call<UserRepresentation>("GET", `${r(realm)}/users/${enc(id)}`)).data;
      } catch (e) {
        if (e instanceof KeycloakAdminError && e.status === 404) return null;
        throw e;
      }
    },
    /** Creates the user (with `credentials` and `groups` in the same request) and returns its id. */
    async createUser(realm: string, rep: UserRepresentation): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/users`, rep)).location);
    },
    /** A raw PUT: since Keycloak 24, a body with `attributes` replaces every attribute, including names and email. */
    updateUser: async (realm: string, id: string, rep: Partial<UserRepresentation>) =>
      void (await call("PUT", `${r(realm)}/users/${enc(id)}`, rep)),
    /**
     * Changes only the given fields: reads the user and writes back the whole representation,
     * so nothing else is cleared whichever update semantics the server has. Attribute keys given
     * replace those keys; an empty list removes one.
     */
    async editUser(
      realm: string,
      id: string,
      changes: Partial<Omit<UserRepresentation, "id" | "username" | "credentials" | "groups">>,
    ): Promise<void> {
      const current = (await call<UserRepresentation>("GET", `${r(realm)}/users/${enc(id)}`)).data;
      const attributes: Record<string, string[]> = { ...(current.attributes ?? {}) };
      for (const [key, values] of Object.entries(changes.attributes ?? {})) {
        if (values.length) attributes[key] = values;
        else delete attributes[key];
      }
      const next: UserRepresentation = {
        id,
        username: current.username,
        enabled: current.enabled,
        emailVerified: current.emailVerified,
        firstName: current.firstName,
        lastName: current.lastName,
        email: current.email,
        requiredActions: current.requiredActions ?? [],
        ...changes,
        attributes,
      };
      await call("PUT", `${r(realm)}/users/${enc(id)}`, next);
    },
    deleteUser: async (realm: string, id: string) => void (await call("DELETE", `${r(realm)}/users/${enc(id)}`)),
    /** Sets a password; a temporary one must be changed at the next sign-in. */
    resetPassword: async (realm: string, id: string, password: string, temporary: boolean) =>
      void (await call("PUT", `${r(realm)}/users/${enc(id)}/reset-password`, {
        type: "password",
        value: password,
        temporary,
      })),
    /**
     * Ends every session the user has at the identity provider (Keycloak's "Sign out"), so
     * their next visit asks for the password instead of signing them in silently. 404 when
     * there is no such user.
     */
    logoutUser: async (realm: string, id: string) => void (await call("POST", `${r(realm)}/users/${enc(id)}/logout`)),
    userGroups: async (realm: string, id: string) =>
      (await call<GroupRepresentation[]>("GET", `${r(realm)}/users/${enc(id)}/groups`)).data,
    addUserToGroup: async (realm: string, id: string, groupId: string) =>
      void (await call("PUT", `${r(realm)}/users/${enc(id)}/groups/${enc(groupId)}`)),
    removeUserFromGroup: async (realm: string, id: string, groupId: string) =>
      void (await call("DELETE", `${r(realm)}/users/${enc(id)}/groups/${enc(groupId)}`)),
  };
}

export type KeycloakAdmin = ReturnType<typeof createKeycloakAdmin>;

export interface PlatformAdminOptions {
  /** The identity provider as this machine reaches it (config.idp.url). */
  url: string;
  /** HIVEMATRIX_HOME. */
  home: string;
  env?: Record<string, string | undefined>;
}

/**
 * The platform's identity-provider admin, as every app signs in: KEYCLOAK_ADMIN_USER (default
 * `admin`) with KEYCLOAK_ADMIN_PASSWORD, or else the password in secrets/keycloak-admin.secret,
 * which `bun run start` generates for Keycloak's bootstrap admin and the dev IdP creates for its
 * own. The returned function re-reads the secret on each call (it may be replaced while an app
 * runs) and gives the same client, with its cached token, while the credentials are unchanged;
 * it returns null when no password is set anywhere.
 */
export function platformKeycloakAdmin(o: PlatformAdminOptions): () => KeycloakAdmin | null {
  let cached: { key: string; client: KeycloakAdmin } | null = null;
  return () => {
    const env = o.env ?? process.env;
    const username = env.KEYCLOAK_ADMIN_USER || "admin";
    const password =
      env.KEYCLOAK_ADMIN_PASSWORD ||
      (existsSync(secretPath(o.home, "keycloak-admin")) ? readSecret(o.home, "keycloak-admin") : null);
    if (!password) return null;
    const key = `${username}\n${password}`;
    if (cached?.key !== key) cached = { key, client: createKeycloakAdmin({ url: o.url, username, password }) };
    return cached.client;
  };
}
