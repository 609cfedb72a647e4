/**
 * Keeps one client under its provider's account-wide request quota, so a long sync slows down
 * instead of running into 429s (and, at Datto, into a temporary IP block).
 *
 * Both providers count over a window: Datto "600 requests within the past 60 seconds", adding a
 * one-second delay beyond 90% (https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm);
 * Freshservice a per-minute limit per plan, reported on every answer as X-RateLimit-Total and
 * X-RateLimit-Remaining, with X-RateLimit-Used-CurrentRequest for what the call cost
 * (https://api.freshservice.com/#rate_limit). The pacer keeps the last window of its own
 * requests; where the provider reports the account's remaining quota (which other clients of
 * the account also spend), that word wins. Once use passes `slowDownAt`, the next request waits
 * until enough of this client's earlier ones have left the window.
 */
export interface PacingOptions {
  /** Requests (credits) per window; replaced by X-RateLimit-Total once the provider reports it. */
  limit: number;
  windowMs: number;
  /** Fraction of the limit at which to start spacing requests out. */
  slowDownAt: number;
  now?: () => number;
}

export class Pacer {
  private spent: { at: number; cost: number }[] = [];
  /** The quota the provider last reported (X-RateLimit-Total); the configured one until then. */
  private total: number;
  /** The provider's last word on what is left, and how much of our spending has left the window since. */
  private reported: { remaining: number; freedSince: number } | null = null;
  private lastLimitedAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: PacingOptions) {
    this.total = options.limit;
    this.now = options.now ?? Date.now;
  }

  private prune(now: number): void {
    while (this.spent.length && this.spent[0]!.at <= now - this.options.windowMs) {
      const gone = this.spent.shift()!;
      if (this.reported) this.reported.freedSince += gone.cost;
    }
  }

  /** How long until `remaining` climbs above the reserve as our own requests leave the window. */
  private untilAboveReserve(remaining: number, now: number): number {
    const reserve = Math.ceil(this.total * (1 - this.options.slowDownAt));
    if (remaining > reserve) return 0;
    let needed = reserve - remaining + 1;
    for (const s of this.spent) {
      needed -= s.cost;
      if (needed <= 0) return Math.max(1, s.at + this.options.windowMs - now);
    }
    // Others spent the quota, not us: nothing of ours frees it sooner than a whole window.
    return this.options.windowMs;
  }

  /** How long to wait before the next request; 0 to send it now. */
  delayMs(): number {
    const now = this.now();
    this.prune(now);
    let remaining = this.total - this.spent.reduce((sum, s) => sum + s.cost, 0);
    if (this.reported) remaining = Math.min(remaining, this.reported.remaining + this.reported.freedSince);
    const delay = this.untilAboveReserve(remaining, now);
    // Waiting a whole window renews the quota whatever the last report said.
    if (delay === this.options.windowMs) this.reported = null;
    return delay;
  }

  /** Records a request as sent now (its cost is corrected by `observe` when the answer says). */
  sent(): void {
    this.spent.push({ at: this.now(), cost: 1 });
  }

  /**
   * Takes in an answer: the provider counted the request somewhere between sending and now, so
   * it is dated now (the later, safer end), and Freshservice's X-RateLimit-* headers say what it
   * cost and what is left; providers without them change nothing more.
   */
  observe(headers: Headers): void {
    const cost = Number(headers.get("x-ratelimit-used-currentrequest"));
    const last = this.spent.at(-1);
    if (last) last.at = this.now();
    if (last && Number.isInteger(cost) && cost > 0) last.cost = cost;
    const total = Number(headers.get("x-ratelimit-total"));
    const remaining = Number(headers.get("x-ratelimit-remaining"));
    if (!headers.has("x-ratelimit-total") || !headers.has("x-ratelimit-remaining") || !(total > 0) || !(remaining >= 0))
      return;
    this.total = total;
    this.reported = { remaining, freedSince: 0 };
  }

  /**
   * A 429: the quota is spent, whatever our count says. Returns how long our own requests need to
   * leave the window; once that (or the provider's Retry-After) has been waited, the report is stale.
   */
  limited(): number {
    const now = this.now();
    this.lastLimitedAt = now;
    this.reported = null;
    this.prune(now);
    return this.untilAboveReserve(0, now);
  }

  /** Whether this client was refused for rate within `withinMs` (a 403 then means a temporary block). */
  limitedWithin(withinMs: number): boolean {
    return this.now() - this.lastLimitedAt <= withinMs;
  }
}
