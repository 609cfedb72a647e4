import { z } from "zod";
import { IntegrationError, requestJson, retryPolicy, type RetryPolicy } from "../http.ts";

/**
 * The few Keycloak admin REST calls the agent sync needs: a token for the master realm's
 * bootstrap admin (built-in public `admin-cli` client), the realm's groups and each staff
 * group's members, read with first/max paging until a short page, so realms with more than
 * one page of users are read completely (the original read only the first 100).
 */
export interface KeycloakAdminOptions {
  /** Where this machine reaches the identity provider, e.g. http://127.0.0.1:8080. */
  url: string;
  realm: string;
  username: string;
  password: string;
  /** The realm the admin account lives in. */
  adminRealm?: string;
  pageSize?: number;
  policy?: Partial<RetryPolicy>;
}

export const keycloakUserSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  enabled: z.boolean().nullish(),
});
export type KeycloakUser = z.infer<typeof keycloakUserSchema>;

const groupSchema = z.looseObject({ id: z.string(), name: z.string(), path: z.string().nullish() });

export class KeycloakAdminClient {
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly options: KeycloakAdminOptions) {
    this.policy = retryPolicy(options.policy);
    this.pageSize = options.pageSize ?? 100;
  }

  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt - 10_000 > Date.now()) return this.token.value;
    const realm = encodeURIComponent(this.options.adminRealm ?? "master");
    const res = await requestJson(
      "keycloak",
      `${this.options.url}/realms/${realm}/protocol/openid-connect/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: this.options.username, password: this.options.password }),
      },
      this.policy,
    ).catch((e) => {
      if (e instanceof IntegrationError && (e.status === 400 || e.status === 401)) {
        throw new IntegrationError("keycloak", "auth", "keycloak: the admin account was refused; check HIVEMATRIX_HOME/secrets/keycloak-admin.secret", e.status);
      }
      throw e;
    });
    const body = z.looseObject({ access_token: z.string(), expires_in: z.number().optional() }).safeParse(res.body);
    if (!body.success) throw new IntegrationError("keycloak", "bad_response", "keycloak: the token response has no access_token");
    this.token = { value: body.data.access_token, expiresAt: Date.now() + (body.data.expires_in ?? 60) * 1000 };
    return this.token.value;
  }

  private async get(path: string): Promise<unknown> {
    const url = `${this.options.url}/admin/realms/${encodeURIComponent(this.options.realm)}${path}`;
    const res = await requestJson("keycloak", url, { headers: { authorization: `Bearer ${await this.bearer()}`, accept: "application/json" } }, this.policy);
    return res.body;
  }

  /** Every page of a first/max listing; a page shorter than max is the last. */
  private async pages<T>(path: string, item: z.ZodType<T>): Promise<T[]> {
    const out: T[] = [];
    const sep = path.includes("?") ? "&" : "?";
    for (let first = 0; ; first += this.pageSize) {
      const body = z.array(item).safeParse(await this.get(`${path}${sep}first=${first}&max=${this.pageSize}`));
      if (!body.success) throw new IntegrationError("keycloak", "bad_response", `keycloak: unexpected answer from ${path}`);
      out.push(...body.data);
      if (body.data.length < this.pageSize) return out;
    }
  }

  async groups(): Promise<{ id: string; name: string }[]> {
    return this.pages("/groups", groupSchema);
  }

  async groupMembers(groupId: string): Promise<KeycloakUser[]> {
    return this.pages(`/groups/${encodeURIComponent(groupId)}/members?briefRepresentation=false`, keycloakUserSchema);
  }

  /** Users of the named groups, each once, with the groups they are in. */
  async usersOfGroups(names: readonly string[]): Promise<{ user: KeycloakUser; groups: string[] }[]> {
    const groups = (await this.groups()).filter((g) => names.includes(g.name));
    const byId = new Map<string, { user: KeycloakUser; groups: string[] }>();
    for (const g of groups) {
      for (const user of await this.groupMembers(g.id)) {
        const entry = byId.get(user.id) ?? byId.set(user.id, { user, groups: [] }).get(user.id)!;
        entry.groups.push(g.name);
      }
    }
    return [...byId.values()];
  }
}
