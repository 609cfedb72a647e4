/**
 * The HTTP layer every provider client shares: timeouts, retries with backoff on 429 (honouring
 * Retry-After) and 5xx, and errors that say which provider, what went wrong and what to do,
 * without ever carrying credentials.
 */

export type Provider = "freshservice" | "datto" | "keycloak";

export type IntegrationErrorKind =
  | "auth" // 401/403: credentials wrong or lacking permission
  | "not_found"
  | "rate_limited" // 429 after every retry
  | "server" // 5xx after every retry
  | "timeout"
  | "network"
  | "bad_request" // other 4xx: our request was refused
  | "bad_response" // the provider answered something we cannot read
  | "incomplete"; // a listing could not be fetched completely (page caps)

export class IntegrationError extends Error {
  override name = "IntegrationError";
  constructor(
    readonly provider: Provider,
    readonly kind: IntegrationErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface RetryPolicy {
  /** Attempts after the first one for 5xx, timeouts and network errors. */
  retries: number;
  /** Attempts after 429s, counted apart: a long sync under a per-minute quota waits many times. */
  rateLimitRetries: number;
  /** First backoff delay; doubles on each retry (with jitter), capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails the request instead of stalling a sync for hours. */
  maxRetryAfterMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** How to wait; tests pass one that records the delay and returns at once. */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  rateLimitRetries: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  timeoutMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Full jitter in the upper half keeps parallel clients from retrying in lockstep.
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** The URL without query string or credentials, for messages and logs. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

async function snippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, " ").trim();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return "";
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Sends one request, retrying what is worth retrying, and returns the parsed JSON body.
 * 404 is returned (not thrown) when `allow404` is set, so "does not exist" can be told apart
 * from "could not ask".
 */
export async function requestJson(
  provider: Provider,
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  options: { allow404?: boolean } = {},
): Promise<HttpResult> {
  const where = `${init.method ?? "GET"} ${describeUrl(url)}`;
  let failures = 0;
  let limited = 0;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(policy.timeoutMs) });
    } catch (e) {
      const timedOut = (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError";
      const error = timedOut
        ? new IntegrationError(
            provider,
            "timeout",
            `${provider}: ${where} did not answer within ${policy.timeoutMs} ms`,
          )
        : new IntegrationError(provider, "network", `${provider}: cannot reach ${where} (${(e as Error).message})`);
      if (failures >= policy.retries) throw error;
      await policy.sleep(backoff(policy, failures++));
      continue;
    }
    if (res.status === 429) {
      await snippet(res);
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) {
        throw new IntegrationError(
          provider,
          "rate_limited",
          `${provider}: rate limited on ${where}; it asks to wait ${Math.round(retryAfter / 1000)} s, longer than allowed`,
          429,
        );
      }
      if (limited >= policy.rateLimitRetries)
        throw new IntegrationError(
          provider,
          "rate_limited",
          `${provider}: rate limit reached on ${where}; gave up after ${limited} waits`,
          429,
        );
      await policy.sleep(retryAfter ?? backoff(policy, limited));
      limited++;
      continue;
    }
    if (res.status >= 500) {
      const detail = await snippet(res);
      const error = new IntegrationError(
        provider,
        "server",
        `${provider}: ${where} failed with ${res.status}${detail ? `: ${detail}` : ""}`,
        res.status,
      );
      if (failures >= policy.retries) throw error;
      await policy.sleep(parseRetryAfter(res.headers.get("retry-after")) ?? backoff(policy, failures));
      failures++;
      continue;
    }
    if (res.status === 404 && options.allow404) return { status: 404, headers: res.headers, body: null };
    if (res.status >= 300) {
      const detail = await snippet(res);
      if (res.status === 401 || res.status === 403) {
        throw new IntegrationError(
          provider,
          "auth",
          `${provider}: ${where} was refused (${res.status}); check the credentials and their permissions`,
          res.status,
        );
      }
      if (res.status === 404)
        throw new IntegrationError(provider, "not_found", `${provider}: ${where} does not exist (404)`, 404);
      throw new IntegrationError(
        provider,
        "bad_request",
        `${provider}: ${where} was rejected with ${res.status}${detail ? `: ${detail}` : ""}`,
        res.status,
      );
    }
    if (res.status === 204) return { status: 204, headers: res.headers, body: null };
    const text = await res.text();
    if (!text) return { status: res.status, headers: res.headers, body: null };
    try {
      return { status: res.status, headers: res.headers, body: JSON.parse(text) };
    } catch {
      throw new IntegrationError(provider, "bad_response", `${provider}: ${where} did not answer JSON`, res.status);
    }
  }
}

/** The rel="next" target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*(.*)/.exec(part.trim());
    if (m && /\brel="?next"?/i.test(m[2]!)) return m[1]!;
  }
  return null;
}
