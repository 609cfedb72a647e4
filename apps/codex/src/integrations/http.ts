import type { Pacer } from "./pacing.ts";

/**
 * The HTTP layer every provider client shares: pacing under the provider's quota, timeouts,
 * retries with backoff on 429 (honouring Retry-After) and 5xx, and errors that say which
 * provider, what went wrong and what to do, without ever carrying credentials.
 */

export type Provider = "freshservice" | "datto" | "keycloak";

/** Why a client is waiting, as a sync's progress shows it. */
export type WaitReason = "pacing" | "rate limit" | "IP block" | "retry";

/** What a sync learns from its clients as they work: requests, pages and waits. */
export interface ProviderMonitor {
  request(provider: Provider): void;
  page(provider: Provider): void;
  wait(provider: Provider, ms: number, reason: WaitReason): void;
}

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

/** What a refusal carried besides its status: how long it asked to wait, and its body as sent. */
export interface ErrorAnswer {
  retryAfterMs?: number | null;
  /** The provider's error body (shortened), e.g. Freshservice's `{"description", "errors"}`. */
  body?: string;
}

export class IntegrationError extends Error {
  override name = "IntegrationError";
  readonly retryAfterMs: number | null;
  readonly body: string;
  constructor(
    readonly provider: Provider,
    readonly kind: IntegrationErrorKind,
    message: string,
    readonly status: number | null = null,
    answer: ErrorAnswer = {},
  ) {
    super(message);
    this.retryAfterMs = answer.retryAfterMs ?? null;
    this.body = answer.body ?? "";
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
  /**
   * A Retry-After longer than this fails the request. Accounts still on Freshservice's hourly
   * limits are told to wait up to an hour (e.g. 1,521 s), which a long sync should sit out.
   */
  maxRetryAfterMs: number;
  /** How long to wait out a temporary IP block (a 403 right after 429s), and how many times. */
  blockWaitMs: number;
  blockRetries: number;
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
  maxRetryAfterMs: 65 * 60_000,
  blockWaitMs: 5 * 60_000,
  blockRetries: 3,
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

export interface RequestOptions {
  /** Return 404 (not throw), so "does not exist" can be told apart from "could not ask". */
  allow404?: boolean;
  pacer?: Pacer;
  monitor?: ProviderMonitor;
  /**
   * Datto answers sustained rate-limit breaches with 403 as a temporary IP block: a 403 within
   * this long of a 429 is waited out (policy.blockWaitMs) instead of read as bad credentials.
   */
  blockAfterLimitMs?: number;
}

/** Sends one request, retrying what is worth retrying, and returns the parsed JSON body. */
export async function requestJson(
  provider: Provider,
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const where = `${init.method ?? "GET"} ${describeUrl(url)}`;
  const { pacer, monitor } = options;
  const wait = async (ms: number, reason: WaitReason) => {
    monitor?.wait(provider, ms, reason);
    await policy.sleep(ms);
  };
  let failures = 0;
  let limited = 0;
  let blocks = 0;
  for (;;) {
    const pause = pacer?.delayMs() ?? 0;
    if (pause > 0) await wait(pause, "pacing");
    pacer?.sent();
    monitor?.request(provider);
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
      await wait(backoff(policy, failures++), "retry");
      continue;
    }
    pacer?.observe(res.headers);
    if (res.status === 429) {
      await snippet(res);
      const recovery = pacer?.limited() ?? 0;
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      if (retryAfter !== null && retryAfter > policy.maxRetryAfterMs) {
        throw new IntegrationError(
          provider,
          "rate_limited",
          `${provider}: rate limited on ${where}; it asks to wait ${Math.round(retryAfter / 1000)} s, ` +
            "longer than allowed",
          429,
          { retryAfterMs: retryAfter },
        );
      }
      if (limited >= policy.rateLimitRetries)
        throw new IntegrationError(
          provider,
          "rate_limited",
          `${provider}: rate limit reached on ${where}; gave up after ${limited} waits`,
          429,
          { retryAfterMs: retryAfter },
        );
      await wait(retryAfter ?? Math.max(backoff(policy, limited), recovery), "rate limit");
      limited++;
      continue;
    }
    if (
      res.status === 403 &&
      options.blockAfterLimitMs &&
      (blocks > 0 || pacer?.limitedWithin(options.blockAfterLimitMs))
    ) {
      await snippet(res);
      if (blocks >= policy.blockRetries)
        throw new IntegrationError(
          provider,
          "rate_limited",
          `${provider}: ${where} is refused with 403 after rate limiting: the provider has blocked this server's IP ` +
            `address for a while; waited ${blocks} × ${Math.round(policy.blockWaitMs / 1000)} s, try again later`,
          403,
        );
      blocks++;
      await wait(policy.blockWaitMs, "IP block");
      continue;
    }
    if (res.status >= 500) {
      const detail = await snippet(res);
      const error = new IntegrationError(
        provider,
        "server",
        `${provider}: ${where} failed with ${res.status}${detail ? `: ${detail}` : ""}`,
        res.status,
        { retryAfterMs: parseRetryAfter(res.headers.get("retry-after")), body: detail },
      );
      if (failures >= policy.retries) throw error;
      await wait(parseRetryAfter(res.headers.get("retry-after")) ?? backoff(policy, failures), "retry");
      failures++;
      continue;
    }
    return readAnswer(provider, where, res, options.allow404 ?? false);
  }
}

/** A final answer: its JSON body, or the error its status means. */
async function readAnswer(provider: Provider, where: string, res: Response, allow404: boolean): Promise<HttpResult> {
  if (res.status === 404 && allow404) return { status: 404, headers: res.headers, body: null };
  if (res.status >= 300) {
    const detail = await snippet(res);
    if (res.status === 401 || res.status === 403) {
      throw new IntegrationError(
        provider,
        "auth",
        `${provider}: ${where} was refused (${res.status}); check the credentials and their permissions`,
        res.status,
        { body: detail },
      );
    }
    if (res.status === 404)
      throw new IntegrationError(provider, "not_found", `${provider}: ${where} does not exist (404)`, 404, {
        body: detail,
      });
    throw new IntegrationError(
      provider,
      "bad_request",
      `${provider}: ${where} was rejected with ${res.status}${detail ? `: ${detail}` : ""}`,
      res.status,
      { body: detail },
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

/** The rel="next" target of an RFC 8288 Link header, if any. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*(.*)/.exec(part.trim());
    if (m && /\brel="?next"?/i.test(m[2]!)) return m[1]!;
  }
  return null;
}
