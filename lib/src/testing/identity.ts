import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { type Auth, createAuth } from "../auth.ts";
import type { PermissionLevel } from "../config.ts";
import { createCsrf, type Csrf } from "../csrf.ts";

export type Caller = PermissionLevel | "service";
export const CALLERS: readonly Caller[] = ["admin", "technician", "billing", "client", "service"];

export interface TokenOptions {
  /** A client user's company (default ACME-001). */
  company?: string;
  /** The username (default: the level). */
  user?: string;
}

export interface TestIdentity {
  /** lib/auth verifying this identity's tokens; every session counts as live (Core's job). */
  auth: Auth;
  csrf: Csrf;
  /** A real RS256 HiveMatrix JWT for a person of `level`, or a service token from Helm. */
  token(caller: Caller, o?: TokenOptions): Promise<string>;
  /** The CSRF token a page shows `caller`'s session. */
  csrfFor(caller: PermissionLevel, o?: TokenOptions): Promise<string>;
}

/**
 * Tokens for an app under test in this process, signed by a key of the test's own: the app's
 * real auth middleware verifies them, so guards, scopes and CSRF are exercised as in production.
 */
export async function testIdentity(audience: string): Promise<TestIdentity> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "RS256" };
  const auth = createAuth({
    audience,
    keys: createLocalJWKSet({ keys: [jwk] }),
    sessionCheck: async () => ({ valid: true }),
  });
  const csrf = createCsrf("test-secret");
  const minted = new Map<string, string>();
  const token = async (caller: Caller, o: TokenOptions = {}) => {
    const key = `${caller}/${o.company ?? ""}/${o.user ?? ""}`;
    const hit = minted.get(key);
    if (hit) return hit;
    const name = o.user ?? caller;
    const claims =
      caller === "service"
        ? { type: "service", sub: "service:helm", calling_service: "helm", target_service: audience, aud: audience }
        : {
            type: "user",
            sub: `sub-${name}`,
            jti: crypto.randomUUID(),
            name: `${name} user`,
            email: `${name}@msp.example`,
            preferred_username: name,
            permission_level: caller,
            groups: [],
            ...(caller === "client" ? { company: o.company ?? "ACME-001" } : {}),
          };
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ ...claims, iss: "hivematrix.core" })
      .setProtectedHeader({ alg: "RS256", kid: "test" })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    minted.set(key, jwt);
    return jwt;
  };
  const csrfFor = async (caller: PermissionLevel, o: TokenOptions = {}) => {
    const claims = JSON.parse(Buffer.from((await token(caller, o)).split(".")[1]!, "base64url").toString("utf8"));
    return csrf.token({ get: () => claims } as never);
  };
  return { auth, csrf, token, csrfFor };
}
