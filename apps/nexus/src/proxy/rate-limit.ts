import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { errorResponse } from "@hivematrix/lib/errors";

export interface RateLimitSettings {
  /** Requests one client address may make per window. */
  perAddress: number;
  /** Requests one session (cookie or bearer token) may make per window. */
  perSession: number;
  windowSeconds: number;
  /**
   * Whether loopback peers count per address. Off by default: a loopback peer is this machine
   * itself or a reverse proxy in front of Nexus, whose clients would all share one count.
   * Sessions are limited either way.
   */
  limitLoopback: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Nexus's request limits, per client address and per session, counted in memory with
 * rate-limiter-flexible: one map lookup per request, so the gateway's throughput is unchanged.
 * Each check answers 0 to go ahead, or how many seconds to wait (for Retry-After).
 */
export function createRateLimits(settings: RateLimitSettings) {
  const byAddress = new RateLimiterMemory({
    keyPrefix: "address",
    points: settings.perAddress,
    duration: settings.windowSeconds,
  });
  const bySession = new RateLimiterMemory({
    keyPrefix: "session",
    points: settings.perSession,
    duration: settings.windowSeconds,
  });
  const check = (limiter: RateLimiterMemory, key: string): Promise<number> =>
    limiter.consume(key).then(
      () => 0,
      (e: unknown) => {
        if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw e;
      },
    );
  return {
    address: (ip: string) => (!settings.limitLoopback && LOOPBACK.test(ip) ? Promise.resolve(0) : check(byAddress, ip)),
    session: (id: string) => check(bySession, id),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

/** The 429 for a client address or session over its limit, saying when to come back. */
export function tooManyRequests(req: Request, path: string, wait: number, what: "address" | "session") {
  return errorResponse(
    req,
    path,
    429,
    "rate_limited",
    `Too many requests from this ${what}. Wait ${wait} seconds, then try again.`,
    { "Retry-After": String(wait) },
  );
}
