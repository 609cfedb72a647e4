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
 * its first instance is sent to each in turn, and a request that gets no answer goes on to the
 * next instance when mayRetry allows (always when `idempotent`); so does a request that may be
 * repeated and got a 503 (an instance still starting). Each instance is tried once at most per
 * request; one that failed is passed over for two seconds. With one instance it is plain fetch.
 */
export function failoverFetch(instanceUrls: readonly string[], options: FailoverOptions = {}): FetchLike {
  if (instanceUrls.length < 2) return (url, init) => fetch(url, init);
  const first = instanceUrls[0]!;
  const downUntil = new Float64Array(instanceUrls.length);
  let next = 0;

  const pick = (tried: Set<number>) => {
    const now = Date.now();
    for (let turn = 0; turn < instanceUrls.length; turn++) {
      const index = next++ % instanceUrls.length;
      if (!tried.has(index) && downUntil[index]! <= now) return index;
    }
    // Every other instance failed lately: try one anyway rather than give up without asking.
    for (let index = 0; index < instanceUrls.length; index++) if (!tried.has(index)) return index;
    return -1;
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
    const repeatable = replayable && (options.idempotent || method === "GET" || method === "HEAD" || Boolean(key));
    const tried = new Set<number>();
    for (;;) {
      const index = pick(tried);
      tried.add(index);
      const last = tried.size === instanceUrls.length;
      let res: Response;
      try {
        res = await fetch(instanceUrls[index]! + rest, init);
      } catch (error) {
        if (!connectionFailed(error)) throw error;
        downUntil[index] = Date.now() + DOWN_FOR_MS;
        if (last || !replayable || !(options.idempotent || mayRetry(method, key, error))) throw error;
        continue;
      }
      // An instance still starting (its database not ready) answers 503 to everything: another may not.
      if (res.status !== 503 || !repeatable || last) return res;
      downUntil[index] = Date.now() + DOWN_FOR_MS;
      await res.body?.cancel();
    }
  };
}
