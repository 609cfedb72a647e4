import { z } from "zod";
import { IntegrationError, requestJson, retryPolicy, type RetryPolicy } from "../http.ts";

/**
 * Datto RMM API v2: OAuth password grant at <api>/auth/oauth/token as the fixed public client
 * (public-client:public) with the API key and secret as user name and password; a bearer token
 * (valid for about 100 hours) kept until shortly before it expires; lists paged through
 * `pageDetails.nextPageUrl`.
 */
export interface DattoOptions {
  /** e.g. https://merlot-api.centrastage.net (http only on loopback, for local fakes). */
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  policy?: Partial<RetryPolicy>;
  /** Page size (`max`; Datto allows up to 250). */
  pageSize?: number;
  maxPages?: number;
  now?: () => number;
}

export function dattoBaseUrl(apiUrl: string): string {
  const raw = apiUrl.trim().replace(/\/+$/, "");
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`"${apiUrl}" is not a URL like https://merlot-api.centrastage.net`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback))
    throw new Error("Datto RMM must be reached over https");
  return `${u.origin}${u.pathname.replace(/\/+$/, "").replace(/\/api$/, "")}`;
}

const pageDetails = z.looseObject({
  nextPageUrl: z.string().nullish(),
  count: z.number().nullish(),
  totalCount: z.number().nullish(),
});

export const siteSchema = z.looseObject({
  uid: z.string().min(1),
  id: z.number().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  portalUrl: z.string().nullish(),
  devicesStatus: z.looseObject({ numberOfDevices: z.number().nullish() }).nullish(),
});
export type DattoSite = z.infer<typeof siteSchema>;

export const deviceSchema = z.looseObject({
  uid: z.string().min(1),
  id: z.number().nullish(),
  siteUid: z.string().nullish(),
  siteName: z.string().nullish(),
  hostname: z.string(),
  description: z.string().nullish(),
  deviceType: z.looseObject({ category: z.string().nullish(), type: z.string().nullish() }).nullish(),
  operatingSystem: z.string().nullish(),
  intIpAddress: z.string().nullish(),
  extIpAddress: z.string().nullish(),
  lastLoggedInUser: z.string().nullish(),
  domain: z.string().nullish(),
  online: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  lastSeen: z.union([z.number(), z.string()]).nullish(),
  lastReboot: z.union([z.number(), z.string()]).nullish(),
  lastAuditDate: z.union([z.number(), z.string()]).nullish(),
  antivirus: z.looseObject({ antivirusProduct: z.string().nullish(), antivirusStatus: z.string().nullish() }).nullish(),
  patchManagement: z.looseObject({ patchStatus: z.string().nullish() }).nullish(),
  portalUrl: z.string().nullish(),
  webRemoteUrl: z.string().nullish(),
  udf: z.record(z.string(), z.string().nullish()).nullish(),
});
export type DattoDevice = z.infer<typeof deviceSchema>;

export const variableSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  value: z.string().nullish(),
  masked: z.boolean().nullish(),
});
export type DattoVariable = z.infer<typeof variableSchema>;

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });

export class DattoClient {
  readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;

  constructor(private readonly options: DattoOptions) {
    this.baseUrl = dattoBaseUrl(options.apiUrl);
    if (!options.apiKey || !options.apiSecret) throw new Error("the Datto RMM API key and secret are required");
    this.policy = retryPolicy(options.policy);
    this.pageSize = options.pageSize ?? 250;
    this.maxPages = options.maxPages ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  private parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IntegrationError(
        "datto",
        "bad_response",
        `datto: unexpected ${what} (${issue?.path.join(".") || "body"}: ${issue?.message})`,
      );
    }
    return parsed.data;
  }

  /** The cached bearer token, fetched once for concurrent callers and renewed a minute before expiry. */
  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt - 60_000 > this.now()) return this.token.value;
    this.pendingToken ??= (async () => {
      try {
        const res = await requestJson(
          "datto",
          `${this.baseUrl}/auth/oauth/token`,
          {
            method: "POST",
            headers: {
              authorization: `Basic ${Buffer.from("public-client:public").toString("base64")}`,
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
            },
            body: new URLSearchParams({
              grant_type: "password",
              username: this.options.apiKey,
              password: this.options.apiSecret,
            }).toString(),
          },
          this.policy,
        ).catch((e) => {
          // OAuth answers a refused password grant with 400 invalid_grant.
          if (e instanceof IntegrationError && (e.status === 400 || e.status === 401)) {
            throw new IntegrationError(
              "datto",
              "auth",
              "datto: the API key or secret was refused; check them in the integration settings",
              e.status,
            );
          }
          throw e;
        });
        const body = this.parse(tokenSchema, res.body, "token response");
        this.token = { value: body.access_token, expiresAt: this.now() + (body.expires_in ?? 3600) * 1000 };
        return body.access_token;
      } finally {
        this.pendingToken = null;
      }
    })();
    return this.pendingToken;
  }

  private async call(method: string, pathOrUrl: string, body?: unknown, options: { allow404?: boolean } = {}) {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.baseUrl}/api${pathOrUrl}`;
    const send = async () =>
      requestJson(
        "datto",
        url,
        {
          method,
          headers: {
            authorization: `Bearer ${await this.bearer()}`,
            accept: "application/json",
            ...(body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        },
        this.policy,
        options,
      );
    try {
      return await send();
    } catch (e) {
      // A token revoked or expired early: fetch a new one once, then give up.
      if (e instanceof IntegrationError && e.status === 401 && this.token) {
        this.token = null;
        return send();
      }
      throw e;
    }
  }

  /** Every item of a list, following pageDetails.nextPageUrl; any failed page fails the whole listing. */
  private async listAll<T>(path: string, key: string, item: z.ZodType<T>): Promise<T[]> {
    const sep = path.includes("?") ? "&" : "?";
    let url: string | null = `${this.baseUrl}/api${path}${sep}max=${this.pageSize}&page=0`;
    const out: T[] = [];
    for (let page = 0; url; page++) {
      if (page >= this.maxPages)
        throw new IntegrationError(
          "datto",
          "incomplete",
          `datto: ${path} has more than ${this.maxPages} pages; stopped`,
        );
      const res = await this.call("GET", url);
      const body = this.parse(
        z.object({ pageDetails: pageDetails.nullish(), [key]: z.array(item) }),
        res.body,
        `${path} page ${page}`,
      ) as Record<string, unknown>;
      out.push(...(body[key] as T[]));
      const next = (body.pageDetails as { nextPageUrl?: string | null } | null | undefined)?.nextPageUrl ?? null;
      // Follow the provider's link only to the configured host: the bearer token must not leak elsewhere.
      if (next && new URL(next).origin !== new URL(this.baseUrl).origin) {
        throw new IntegrationError(
          "datto",
          "bad_response",
          `datto: nextPageUrl points to another host (${new URL(next).origin})`,
        );
      }
      url = next;
    }
    return out;
  }

  async testConnection(): Promise<{ ok: true; detail: string }> {
    const res = await this.call("GET", "/v2/account");
    const account = this.parse(
      z.looseObject({ name: z.string().nullish(), uid: z.string().nullish() }),
      res.body,
      "account response",
    );
    return { ok: true, detail: `connected to account ${account.name ?? account.uid ?? "(unnamed)"}` };
  }

  sites(): Promise<DattoSite[]> {
    return this.listAll("/v2/account/sites", "sites", siteSchema);
  }

  siteDevices(siteUid: string): Promise<DattoDevice[]> {
    return this.listAll(`/v2/site/${encodeURIComponent(siteUid)}/devices`, "devices", deviceSchema);
  }

  accountDevices(): Promise<DattoDevice[]> {
    return this.listAll("/v2/account/devices", "devices", deviceSchema);
  }

  async device(deviceUid: string): Promise<DattoDevice | null> {
    const res = await this.call("GET", `/v2/device/${encodeURIComponent(deviceUid)}`, undefined, { allow404: true });
    if (res.status === 404) return null;
    return this.parse(deviceSchema, res.body, `device ${deviceUid}`);
  }

  siteVariables(siteUid: string): Promise<DattoVariable[]> {
    return this.listAll(`/v2/site/${encodeURIComponent(siteUid)}/variables`, "variables", variableSchema);
  }

  async siteVariable(siteUid: string, name: string): Promise<string | null> {
    const found = (await this.siteVariables(siteUid)).find((v) => v.name === name);
    return found?.value?.trim() || null;
  }

  /** Creates the site variable, or updates it when it exists (Datto: PUT creates, POST …/variable/{id} updates). */
  async setSiteVariable(siteUid: string, name: string, value: string): Promise<"created" | "updated" | "unchanged"> {
    const existing = (await this.siteVariables(siteUid)).find((v) => v.name === name);
    const site = encodeURIComponent(siteUid);
    if (!existing) {
      await this.call("PUT", `/v2/site/${site}/variable`, { name, value, masked: false });
      return "created";
    }
    if (existing.value === value) return "unchanged";
    await this.call("POST", `/v2/site/${site}/variable/${existing.id}`, { name, value });
    return "updated";
  }
}
