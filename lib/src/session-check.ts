import type { SessionCheck, UserClaims } from "./auth.ts";
import { HttpError } from "./errors.tsx";
import { failoverFetch } from "./instances.ts";

/** How long a client is asked to wait before retrying while Core cannot answer. */
const CORE_RETRY_AFTER_S = 5;

/** Core cannot be asked (down, timing out, or answering nonsense): a 503 the caller may retry. */
export function coreUnavailable(detail: string): HttpError {
  return new HttpError(503, "core_unavailable", `The identity service (Core) ${detail}. Try again in a moment.`, null, {
    "Retry-After": String(CORE_RETRY_AFTER_S),
  });
}

type Verdict = { valid: true } | { valid: false; error: string };

interface CachedVerdict {
  verdict: Verdict;
  until: number;
}

/**
 * Asks Core's /api/token/validate whether a session is still live, remembering the answer
 * for `ttlMs` so a revoked session is refused within that time without a round-trip per request.
 * Requests that find no fresh answer for the same session at the same moment share one question
 * to Core (a busy gateway would otherwise send hundreds at once every `ttlMs`).
 */
export function coreSessionCheck(core: string | readonly string[], ttlMs = 2_000, maxEntries = 10_000) {
  const coreUrls = typeof core === "string" ? [core] : core;
  // Asking again changes nothing, so a Core instance that drops the question hands it to another.
  const send = failoverFetch(coreUrls, { idempotent: true });
  const cache = new Map<string, CachedVerdict>();
  const asking = new Map<string, Promise<Verdict>>();
  // Bumped by every forget: an answer Core gave before one is not remembered after it.
  let epoch = 0;
  const validateUrl = new URL("/api/token/validate", coreUrls[0]).toString();

  async function ask(token: string, claims: UserClaims): Promise<Verdict> {
    const asked = epoch;
    let res: Response;
    try {
      res = await send(validateUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch {
      throw coreUnavailable("cannot be reached");
    }
    if (!res.ok) throw coreUnavailable(`answered ${res.status}`);
    const body = (await res.json().catch(() => null)) as { valid: boolean; error?: string } | null;
    if (typeof body?.valid !== "boolean") throw coreUnavailable("gave an answer that is not a verdict");
    const verdict: Verdict = body.valid ? { valid: true } : { valid: false, error: body.error ?? "invalid" };
    if (asked !== epoch) return verdict;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    // A revoked session never comes back, so a refusal can be remembered until the token expires.
    cache.set(claims.jti, { verdict, until: verdict.valid ? Date.now() + ttlMs : claims.exp * 1000 });
    return verdict;
  }

  const check: SessionCheck = (token, claims) => {
    const hit = cache.get(claims.jti);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.verdict);
    let pending = asking.get(claims.jti);
    if (!pending) {
      const question = ask(token, claims).finally(() => {
        if (asking.get(claims.jti) === question) asking.delete(claims.jti);
      });
      pending = question;
      asking.set(claims.jti, pending);
    }
    return pending;
  };

  return Object.assign(check, {
    /** Whether Core said this session was live less than `ttlMs` ago (no waiting: the hot path's question). */
    isLive(jti: string, now: number): boolean {
      const hit = cache.get(jti);
      return hit?.verdict.valid === true && hit.until > now;
    },
    /** Forget a session's verdict, e.g. right after logging it out or hearing Core revoked it; true if one was held. */
    forget(jti: string): boolean {
      epoch++;
      asking.delete(jti);
      return cache.delete(jti);
    },
    /** Forget every verdict (revocations may have been missed), so each session is asked about again. */
    forgetAll(): void {
      epoch++;
      cache.clear();
      asking.clear();
    },
  });
}

export type CoreSessionCheck = ReturnType<typeof coreSessionCheck>;
