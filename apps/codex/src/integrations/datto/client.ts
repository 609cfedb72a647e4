import { z } from "zod";
import {
  IntegrationError,
  requestJson,
  retryPolicy,
  type ProviderMonitor,
  type RequestOptions,
  type RetryPolicy,
} from "../http.ts";
import { Pacer } from "../pacing.ts";
import {
  describeItem,
  deviceSchema,
  pageDetailsSchema,
  siteSchema,
  tokenSchema,
  variableSchema,
  type DattoDevice,
  type DattoSite,
  type DattoVariable,
} from "./schemas.ts";

export type { DattoDevice, DattoSite, DattoVariable } from "./schemas.ts";

/**
 * Datto RMM API v2 (https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm): OAuth password grant
 * at <api>/auth/oauth/token as the fixed public client (public-client:public) with the API key and
 * secret as user name and password; a bearer token (valid for 100 hours) kept until shortly before
 * it expires; lists paged through `pageDetails.nextPageUrl`; 600 requests per rolling 60 s for the
 * whole account, with a one-second delay beyond 90%, 429 beyond the limit, and a temporary IP
 * block (403) after sustained breaches.
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
  /** The account's quota (600 per 60 s); tests shrink it. */
  rateLimit?: { limit: number; windowMs: number };
  monitor?: ProviderMonitor;
}

/** A 403 this soon after a 429 is Datto's IP block, not a permission problem. */
const BLOCK_AFTER_LIMIT_MS = 10 * 60_000;

/** Reports an item Datto sent that cannot be used (it is skipped, the rest of its list is kept). */
export type OnUnusable = (problem: string) => void;

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

export class DattoClient {
  readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly now: () => number;
  private token: { value: string; expiresAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;
  private readonly pacer: Pacer;

  constructor(private readonly options: DattoOptions) {
    this.baseUrl = dattoBaseUrl(options.apiUrl);
    if (!options.apiKey || !options.apiSecret) throw new Error("the Datto RMM API key and secret are required");
    this.policy = retryPolicy(options.policy);
    this.pageSize = options.pageSize ?? 250;
    this.maxPages = options.maxPages ?? 10_000;
    this.now = options.now ?? Date.now;
    const quota = options.rateLimit ?? { limit: 600, windowMs: 60_000 };
    this.pacer = new Pacer({ ...quota, slowDownAt: 0.9 });
  }

  private request(url: string, init: RequestInit, options: RequestOptions = {}) {
    return requestJson("datto", url, init, this.policy, {
      ...options,
      pacer: this.pacer,
      monitor: this.options.monitor,
      blockAfterLimitMs: BLOCK_AFTER_LIMIT_MS,
    });
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
        const res = await this.request(`${this.baseUrl}/auth/oauth/token`, {
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
        }).catch((e) => {
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
      this.request(
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

  /**
   * Every item of a list, following pageDetails.nextPageUrl (only on this host: the bearer token
   * goes with it). Any failed page fails the whole listing; an item that fails its schema is
   * skipped and reported through `onUnusable`, so one odd record never hides its neighbours.
   */
  private async listAll<T>(path: string, key: string, item: z.ZodType<T>, onUnusable?: OnUnusable): Promise<T[]> {
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
        z.looseObject({ pageDetails: pageDetailsSchema.nullish(), [key]: z.array(z.unknown()) }),
        res.body,
        `${path} page ${page}`,
      ) as Record<string, unknown>;
      for (const [i, raw] of (body[key] as unknown[]).entries()) {
        const parsed = item.safeParse(raw);
        if (parsed.success) {
          out.push(parsed.data);
          continue;
        }
        const issue = parsed.error.issues[0];
        onUnusable?.(`${describeItem(raw, i)}: ${issue?.path.join(".") || "item"} ${issue?.message}`);
      }
      this.options.monitor?.page("datto");
      const next = (body.pageDetails as { nextPageUrl?: string | null } | null | undefined)?.nextPageUrl || null;
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

  sites(onUnusable?: OnUnusable): Promise<DattoSite[]> {
    return this.listAll("/v2/account/sites", "sites", siteSchema, onUnusable);
  }

  siteDevices(siteUid: string, onUnusable?: OnUnusable): Promise<DattoDevice[]> {
    return this.listAll(`/v2/site/${encodeURIComponent(siteUid)}/devices`, "devices", deviceSchema, onUnusable);
  }

  accountDevices(onUnusable?: OnUnusable): Promise<DattoDevice[]> {
    return this.listAll("/v2/account/devices", "devices", deviceSchema, onUnusable);
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
