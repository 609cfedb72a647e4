/** How long an instance that refused or dropped a connection is passed over by failoverFetch. */
const DOWN_FOR_MS = 2_000;

/** The request reached no server: sending it again cannot do anything twice. */
export function nothingSent(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "ECONNREFUSED";
}

/** The connection failed (refused, reset, closed): not a timeout or an abort the caller asked for. */
export function connectionFailed(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return typeof code === "string" && code.startsWith("ECONN");
}

/**
 * Whether a request that got no answer may be sent again, to another instance: one that never
 * left, a read (GET, HEAD), or a write carrying an Idempotency-Key (the app answers a repeat
 * with the first answer). A POST without one may have been carried out, so it is never repeated.
 */
export function mayRetry(method: string, idempotencyKey: string | null | undefined, error: unknown): boolean {
  if (nothingSent(error)) return true;
  if (!connectionFailed(error)) return false;
  return method === "GET" || method === "HEAD" || Boolean(idempotencyKey);
}

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface FailoverOptions {
  /** The calls made through it change nothing when repeated (a token check, a revocation): retried like reads. */
  idempotent?: boolean;
}

/**
 * A fetch for a service of several instances (services.json's `instances` or `urls`): a URL on
 * its first instance is sent to each in turn, and a request that gets no answer is sent once
 * more to another when mayRetry allows (always when `idempotent`). An instance that failed is
 * passed over for two seconds. With one instance it is plain fetch.
 */
export function failoverFetch(instanceUrls: readonly string[], options: FailoverOptions = {}): FetchLike {
  if (instanceUrls.length < 2) return (url, init) => fetch(url, init);
  const first = instanceUrls[0]!;
  const downUntil = new Float64Array(instanceUrls.length);
  let next = 0;

  const pick = (now: number, not: number) => {
    for (let tried = 0; tried < instanceUrls.length; tried++) {
      const index = next++ % instanceUrls.length;
      if (index !== not && downUntil[index]! <= now) return index;
    }
    // Every other instance failed lately: try one anyway rather than give up without asking.
    return (not + 1) % instanceUrls.length;
  };

  return async (url, init = {}) => {
    const text = String(url);
    // Only a URL on the first instance itself (not on a port that merely begins with its digits).
    if (!text.startsWith(first) || !/^(?:[/?#]|$)/.test(text.slice(first.length, first.length + 1)))
      return fetch(url, init);
    const rest = text.slice(first.length);
    const replayable = init.body === undefined || init.body === null || typeof init.body === "string";
    const method = (init.method ?? "GET").toUpperCase();
    const key = new Headers(init.headers).get("idempotency-key");
    let index = pick(Date.now(), -1);
    try {
      return await fetch(instanceUrls[index]! + rest, init);
    } catch (error) {
      if (!connectionFailed(error)) throw error;
      downUntil[index] = Date.now() + DOWN_FOR_MS;
      if (!replayable || !(options.idempotent || mayRetry(method, key, error))) throw error;
      index = pick(Date.now(), index);
      return fetch(instanceUrls[index]! + rest, init);
    }
  };
}
