/**
 * How the admin client talks to Keycloak: signs in to the auth realm with `admin-cli`, renews the
 * token before it lapses, retries reads the network or a restarting server dropped, and turns an
 * error answer into KeycloakAdminError with Keycloak's own message.
 */
export class KeycloakAdminError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    /** Keycloak's own message (e.g. "User exists with same email", "error-invalid-email"). */
    readonly detail: string,
    /** The attribute a validation error is about (Keycloak's `field`), e.g. "email". */
    readonly field: string | null = null,
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
  /** Extra attempts for a read that failed on the network or with 502/503/504 (default 2). */
  retries?: number;
}

const RETRY_STATUSES = new Set([502, 503, 504]);

export const enc = encodeURIComponent;

export function createAdminTransport(o: KeycloakAdminOptions) {
  const base = o.url.replace(/\/+$/, "");
  const doFetch = o.fetch ?? fetch;
  let token: { value: string; until: number } | null = null;

  async function signIn(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const res = await doFetch(`${base}/realms/${enc(o.authRealm ?? "master")}/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "admin-cli",
        username: o.username,
        password: o.password,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok)
      throw new KeycloakAdminError(
        res.status,
        "POST",
        "token",
        res.status === 401 ? "the admin username or password is wrong" : await res.text(),
      );
    const body = (await res.json()) as { access_token: string; expires_in: number };
    // Renew 10 s early so a request never goes out with a token about to lapse.
    token = { value: body.access_token, until: Date.now() + Math.max(body.expires_in - 10, 5) * 1000 };
    return token.value;
  }

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: T; location: string | null }> {
    const send = async () =>
      doFetch(`${base}/admin${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await signIn()}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    // Only reads are retried: a write that timed out may have happened.
    const attempts = method === "GET" ? 1 + (o.retries ?? 2) : 1;
    let res!: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await send();
        if (res.status === 401) {
          token = null;
          res = await send();
        }
        if (!RETRY_STATUSES.has(res.status) || attempt >= attempts) break;
      } catch (e) {
        if (attempt >= attempts || e instanceof KeycloakAdminError) throw e;
      }
      await Bun.sleep(200 * 2 ** (attempt - 1));
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      let field: string | null = null;
      try {
        const e = JSON.parse(text) as {
          errorMessage?: string;
          error?: string;
          error_description?: string;
          field?: string;
        };
        // Keycloak's generic description ("consult the server log") says less than its error.
        const description =
          e.error_description && !/consult the server log/i.test(e.error_description) ? e.error_description : undefined;
        detail = e.errorMessage ?? description ?? e.error ?? text;
        field = typeof e.field === "string" ? e.field : null;
      } catch {
        // not JSON: keep the text
      }
      throw new KeycloakAdminError(res.status, method, path, detail.slice(0, 500), field);
    }
    return {
      status: res.status,
      data: (text ? JSON.parse(text) : undefined) as T,
      location: res.headers.get("location"),
    };
  }

  return call;
}

export type AdminCall = ReturnType<typeof createAdminTransport>;
