import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";

export interface SignInThrottleOptions {
  /** Wrong passwords for one username that lock it (Keycloak's failureFactor as keycloak:setup sets it); at least 2. */
  failuresPerUser: number;
  /** Wrong passwords from one address, whatever the usernames, that lock it; at least 2. */
  failuresPerAddress: number;
  /** How long a lock lasts. */
  lockSeconds: number;
  /** How long failures are counted (Keycloak's failure reset time). */
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleOptions = {
  failuresPerUser: 5,
  failuresPerAddress: 20,
  lockSeconds: 60,
  windowSeconds: 15 * 60,
};

/**
 * The dev IdP's brute-force detection, as Keycloak's is enabled by keycloak:setup: failed
 * sign-ins are counted per username and per client address; past either limit, sign-in is
 * refused without checking the password until the lock lapses. A success clears that
 * username's count (not the address's, so one known account cannot launder guesses).
 */
export function createSignInThrottle(o: SignInThrottleOptions = DEFAULT_SIGN_IN_THROTTLE) {
  // The limiter blocks once a count passes `points`: the n-th failure itself must start the lock.
  const limiter = (keyPrefix: string, failures: number) =>
    new RateLimiterMemory({ keyPrefix, points: failures - 1, duration: o.windowSeconds, blockDuration: o.lockSeconds });
  const byUser = limiter("user", o.failuresPerUser);
  const byAddress = limiter("address", o.failuresPerAddress);
  const userKey = (username: string) => username.trim().toLowerCase();
  const lockedFor = (res: RateLimiterRes | null, failures: number) =>
    res && res.consumedPoints >= failures ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;

  return {
    /** Seconds until this username may try again from this address; 0 when it may now. */
    async waitSeconds(username: string, address: string): Promise<number> {
      const [user, from] = await Promise.all([byUser.get(userKey(username)), byAddress.get(address)]);
      return Math.max(lockedFor(user, o.failuresPerUser), lockedFor(from, o.failuresPerAddress));
    },
    async failed(username: string, address: string): Promise<void> {
      // consume rejects once a limit is passed (and starts the lock); the lock is all that matters here.
      await Promise.allSettled([byUser.consume(userKey(username)), byAddress.consume(address)]);
    },
    async succeeded(username: string): Promise<void> {
      await byUser.delete(userKey(username));
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
