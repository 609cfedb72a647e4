/**
 * An account-wide request quota over a rolling window, as the fakes enforce it. Datto documents
 * "600 requests within the past 60 seconds" (https://rmm.datto.com/help/en/Content/2SETUP/APIv2.htm);
 * Freshservice documents a per-minute, account-wide limit without saying when a minute starts
 * (https://api.freshservice.com/#rate_limit), so its fake uses the same rolling reading, the
 * stricter one. Tests shrink `windowMs` so a long sync is paced in seconds, not hours.
 */
export class RollingQuota {
  private spent: { at: number; cost: number }[] = [];
  /** The most credits ever in use at once: a test's proof that the limit held. */
  peak = 0;

  constructor(
    public limit: number,
    public windowMs: number,
  ) {}

  used(now = Date.now()): number {
    while (this.spent.length && this.spent[0]!.at <= now - this.windowMs) this.spent.shift();
    return this.spent.reduce((sum, s) => sum + s.cost, 0);
  }

  /** Spends `cost` credits if they fit; false (nothing spent) when the quota is exhausted. */
  take(cost: number, now = Date.now()): boolean {
    const used = this.used(now);
    if (used + cost > this.limit) return false;
    this.spent.push({ at: now, cost });
    this.peak = Math.max(this.peak, used + cost);
    return true;
  }

  /** Seconds until one more credit fits, rounded up (what a Retry-After says). */
  secondsUntilFree(now = Date.now()): number {
    let over = this.used(now) + 1 - this.limit;
    for (const s of this.spent) {
      over -= s.cost;
      if (over <= 0) return Math.max(1, Math.ceil((s.at + this.windowMs - now) / 1000));
    }
    return 1;
  }
}
