/**
 * A small client for Keycloak's admin REST API (https://www.keycloak.org/docs-api/latest/rest-api/):
 * realms, clients and their secrets and protocol mappers, the user profile, groups and users.
 * It signs in to the master realm with `admin-cli` and an admin's password, renews its token
 * before it expires, and raises KeycloakAdminError with the status and Keycloak's message.
 */

export interface RealmRepresentation {
  id?: string;
  realm: string;
  enabled?: boolean;
  displayName?: string;
  sslRequired?: "none" | "external" | "all";
  registrationAllowed?: boolean;
  resetPasswordAllowed?: boolean;
  loginWithEmailAllowed?: boolean;
  bruteForceProtected?: boolean;
  [key: string]: unknown;
}

export interface ClientRepresentation {
  id?: string;
  clientId: string;
  name?: string;
  enabled?: boolean;
  protocol?: "openid-connect";
  publicClient?: boolean;
  clientAuthenticatorType?: string;
  secret?: string;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  [key: string]: unknown;
}

export interface ProtocolMapperRepresentation {
  id?: string;
  name: string;
  protocol: "openid-connect";
  protocolMapper: string;
  config: Record<string, string>;
}

export interface GroupRepresentation {
  id?: string;
  name: string;
  path?: string;
}

export interface UserRepresentation {
  id?: string;
  username: string;
  enabled?: boolean;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  attributes?: Record<string, string[]>;
  requiredActions?: string[];
  credentials?: { type: "password"; value: string; temporary: boolean }[];
  [key: string]: unknown;
}

export interface UserProfileAttribute {
  name: string;
  displayName?: string;
  multivalued?: boolean;
  permissions?: { view: string[]; edit: string[] };
  [key: string]: unknown;
}

export interface UserProfileConfig {
  attributes: UserProfileAttribute[];
  [key: string]: unknown;
}

export class KeycloakAdminError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`Keycloak admin API ${method} ${path} answered ${status}${detail ? `: ${detail}` : ""}`);
  }
}

export interface KeycloakAdminOptions {
  /** Keycloak's base URL as this machine reaches it, e.g. http://127.0.0.1:8080. */
  url: string;
  username: string;
  password: string;
  /** The realm the admin signs in to (default master). */
  authRealm?: string;
  fetch?: typeof fetch;
}

const enc = encodeURIComponent;

export function createKeycloakAdmin(o: KeycloakAdminOptions) {
  const base = o.url.replace(/\/+$/, "");
  const doFetch = o.fetch ?? fetch;
  let token: { value: string; until: number } | null = null;

  async function signIn(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const res = await doFetch(`${base}/realms/${enc(o.authRealm ?? "master")}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: o.username, password: o.password }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new KeycloakAdminError(res.status, "POST", "token", res.status === 401 ? "the admin username or password is wrong" : await res.text());
    const body = (await res.json()) as { access_token: string; expires_in: number };
    // Renew 10 s early so a request never goes out with a token about to lapse.
    token = { value: body.access_token, until: Date.now() + Math.max(body.expires_in - 10, 5) * 1000 };
    return token.value;
  }

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T; location: string | null }> {
    const send = async () =>
      doFetch(`${base}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${await signIn()}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    let res = await send();
    if (res.status === 401) {
      token = null;
      res = await send();
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        const e = JSON.parse(text) as { errorMessage?: string; error?: string; error_description?: string };
        detail = e.errorMessage ?? e.error_description ?? e.error ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new KeycloakAdminError(res.status, method, path, detail.slice(0, 500));
    }
    return { status: res.status, data: (text ? JSON.parse(text) : undefined) as T, location: res.headers.get("location") };
  }

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

    // Clients
    async findClient(realm: string, clientId: string): Promise<ClientRepresentation | null> {
      const { data } = await call<ClientRepresentation[]>("GET", `${r(realm)}/clients?clientId=${enc(clientId)}`);
      return data.find((c) => c.clientId === clientId) ?? null;
    },
    async createClient(realm: string, rep: ClientRepresentation): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/clients`, rep)).location);
    },
    updateClient: async (realm: string, id: string, rep: ClientRepresentation) => void (await call("PUT", `${r(realm)}/clients/${enc(id)}`, rep)),
    async getClientSecret(realm: string, id: string): Promise<string | null> {
      return (await call<{ value?: string }>("GET", `${r(realm)}/clients/${enc(id)}/client-secret`)).data.value ?? null;
    },
    listClientMappers: async (realm: string, id: string) => (await call<ProtocolMapperRepresentation[]>("GET", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models`)).data,
    async createClientMapper(realm: string, id: string, mapper: ProtocolMapperRepresentation): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models`, mapper)).location);
    },
    updateClientMapper: async (realm: string, id: string, mapperId: string, mapper: ProtocolMapperRepresentation) =>
      void (await call("PUT", `${r(realm)}/clients/${enc(id)}/protocol-mappers/models/${enc(mapperId)}`, { ...mapper, id: mapperId })),

    // User profile (Keycloak 24+: attributes a user may carry, e.g. `company`)
    getUserProfile: async (realm: string) => (await call<UserProfileConfig>("GET", `${r(realm)}/users/profile`)).data,
    updateUserProfile: async (realm: string, config: UserProfileConfig) => void (await call("PUT", `${r(realm)}/users/profile`, config)),

    // Groups
    listGroups: async (realm: string) => (await call<GroupRepresentation[]>("GET", `${r(realm)}/groups?briefRepresentation=true&max=1000`)).data,
    async createGroup(realm: string, name: string): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/groups`, { name })).location);
    },
    groupMembers: async (realm: string, groupId: string, first = 0, max = 100) =>
      (await call<UserRepresentation[]>("GET", `${r(realm)}/groups/${enc(groupId)}/members?first=${first}&max=${max}`)).data,

    // Users
    async findUser(realm: string, username: string): Promise<UserRepresentation | null> {
      const { data } = await call<UserRepresentation[]>("GET", `${r(realm)}/users?username=${enc(username)}&exact=true`);
      return data.find((u) => u.username === username.toLowerCase()) ?? null;
    },
    /** One page of users; Keycloak pages with first/max, so callers loop until a short page. */
    listUsers: async (realm: string, first = 0, max = 100, search?: string) =>
      (await call<UserRepresentation[]>("GET", `${r(realm)}/users?first=${first}&max=${max}${search ? `&search=${enc(search)}` : ""}`)).data,
    getUser: async (realm: string, id: string) => (await call<UserRepresentation>("GET", `${r(realm)}/users/${enc(id)}`)).data,
    async createUser(realm: string, rep: UserRepresentation): Promise<string> {
      return idFromLocation((await call("POST", `${r(realm)}/users`, rep)).location);
    },
    updateUser: async (realm: string, id: string, rep: Partial<UserRepresentation>) => void (await call("PUT", `${r(realm)}/users/${enc(id)}`, rep)),
    deleteUser: async (realm: string, id: string) => void (await call("DELETE", `${r(realm)}/users/${enc(id)}`)),
    resetPassword: async (realm: string, id: string, password: string, temporary: boolean) =>
      void (await call("PUT", `${r(realm)}/users/${enc(id)}/reset-password`, { type: "password", value: password, temporary })),
    userGroups: async (realm: string, id: string) => (await call<GroupRepresentation[]>("GET", `${r(realm)}/users/${enc(id)}/groups`)).data,
    addUserToGroup: async (realm: string, id: string, groupId: string) => void (await call("PUT", `${r(realm)}/users/${enc(id)}/groups/${enc(groupId)}`)),
    removeUserFromGroup: async (realm: string, id: string, groupId: string) => void (await call("DELETE", `${r(realm)}/users/${enc(id)}/groups/${enc(groupId)}`)),
  };
}

export type KeycloakAdmin = ReturnType<typeof createKeycloakAdmin>;
