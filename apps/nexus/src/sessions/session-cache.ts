interface Entry<S> {
  session: S;
  jti: string;
  /** When the token expires (ms): the entry is worthless after. */
  expiresAt: number;
}

/** How often entries whose token has expired are swept out (a busy gateway sees thousands of sessions a day). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Credentials (a sealed session cookie or an Authorization header, by their exact text) that
 * were opened and verified once, with what they resolved to. An entry answers only while its
 * token is unexpired and `isLive` says Core vouched for its session within the last seconds;
 * otherwise the caller verifies again and sets it anew (which also moves it to the back, so
 * eviction when full drops the least recently verified). Sessions that end are dropped by id.
 */
export class SessionCache<S> {
  private readonly entries = new Map<string, Entry<S>>();
  private sweptAt = Date.now();

  constructor(
    private readonly isLive: (jti: string, now: number) => boolean,
    private readonly maxEntries = 10_000,
  ) {}

  get(credential: string, now: number): S | undefined {
    const entry = this.entries.get(credential);
    if (entry === undefined) return undefined;
    if (now - this.sweptAt > SWEEP_EVERY_MS) this.sweep(now);
    return entry.expiresAt > now && this.isLive(entry.jti, now) ? entry.session : undefined;
  }

  set(credential: string, session: S, claims: { jti: string; exp: number }): void {
    this.entries.delete(credential);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(credential, { session, jti: claims.jti, expiresAt: claims.exp * 1000 });
  }

  delete(credential: string): void {
    this.entries.delete(credential);
  }

  /** Drops every credential of one session (a cookie and bearer uses of its token alike). */
  dropSession(jti: string): void {
    for (const [credential, entry] of this.entries) if (entry.jti === jti) this.entries.delete(credential);
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [credential, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(credential);
  }
}
