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

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Fixed windows per key, counted in memory and answered at once (no promise: this runs on
 * every request). A key's window starts with its first request; 0 means go ahead, anything
 * else is how many seconds are left (for Retry-After). Ended windows are swept once a window.
 */
function fixedWindows(points: number, windowMs: number) {
  const windows = new Map<string, Window>();
  let sweptAt = Date.now();
  return (key: string): number => {
    const now = Date.now();
    if (now - sweptAt > windowMs) {
      sweptAt = now;
      for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
    }
    let window = windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      windows.set(key, window);
    }
    return ++window.count <= points ? 0 : Math.max(1, Math.ceil((window.endsAt - now) / 1000));
  };
}

/**
 * Nexus's request limits, per client address and per session: one map lookup per request, so the
 * gateway's throughput is unchanged. Each process (NEXUS_WORKERS) counts its own requests.
 */
export function createRateLimits(settings: RateLimitSettings) {
  const byAddress = fixedWindows(settings.perAddress, settings.windowSeconds * 1000);
  const bySession = fixedWindows(settings.perSession, settings.windowSeconds * 1000);
  return {
    address: (ip: string): number => (!settings.limitLoopback && LOOPBACK.test(ip) ? 0 : byAddress(ip)),
    session: (id: string): number => bySession(id),
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
