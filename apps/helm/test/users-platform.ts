import { expect } from "bun:test";
import { generateCodeVerifier, generateState, KeyCloak } from "arctic";
import { readSecret } from "@hivematrix/lib/secrets";
import { CookieJar, follow, freePort, startPlatform, submitLogin, type TestPlatform } from "@hivematrix/lib/testing";
import { bearer } from "./harness.ts";

export interface UserJson {
  id: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  enabled: boolean;
  level: string | null;
  groups: string[];
  company: string | null;
  password_change_required: boolean;
}

export interface SignIn {
  token?: string;
  refused?: Response;
  jar: CookieJar;
  location?: string;
}

/**
 * Helm's user management against the dev IdP's admin API, with Core: real processes, real
 * sign-ins (the authorization-code flow and Core's exchange, as Nexus runs them). The helpers
 * work once `start` has resolved.
 */
export function usersPlatform() {
  let platform: TestPlatform;
  let redirectUri: string;
  let helm: string;

  /** The authorization-code flow with PKCE and Core's exchange; the HiveMatrix JWT, or the IdP's refusal. */
  const signIn = async (username: string, password: string): Promise<SignIn> => {
    const client = new KeyCloak(
      `${platform.idpUrl}/realms/hivematrix`,
      "core-client",
      readSecret(platform.home, "core-client"),
      redirectUri,
    );
    const verifier = generateCodeVerifier();
    const jar = new CookieJar();
    const login = await follow(
      jar,
      client.createAuthorizationURL(generateState(), verifier, ["openid", "profile", "email"]).toString(),
    );
    const submitted = await submitLogin(jar, login.url, await login.res.text(), username, password);
    if (submitted.status !== 303) return { refused: submitted, jar };
    const next = new URL(submitted.headers.get("location")!, login.url).toString();
    if (next.includes("/update-password")) return { jar, location: next };
    const back = await follow(jar, next, {}, new URL(redirectUri).origin);
    const tokens = await client.validateAuthorizationCode(new URL(back.url).searchParams.get("code")!, verifier);
    const res = await fetch(`${platform.coreUrl}/api/token/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ access_token: tokens.accessToken() }),
    });
    if (!res.ok) throw new Error(`exchange answered ${res.status}`);
    return { token: ((await res.json()) as { token: string }).token, jar };
  };

  const valid = async (token: string) =>
    (
      (await (
        await fetch(`${platform.coreUrl}/api/token/validate`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token }),
        })
      ).json()) as { valid: boolean }
    ).valid;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${helm}${path}`, {
      method,
      headers: bearer(token, body === undefined ? {} : { "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const create = async (
    token: string,
    body: Record<string, unknown>,
  ): Promise<{ user: UserJson; password: string }> => {
    const res = await api(token, "POST", "/api/users", body);
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return (await res.json()) as { user: UserJson; password: string };
  };

  return {
    signIn,
    valid,
    api,
    create,
    async start() {
      const callbackOrigin = `http://127.0.0.1:${await freePort()}`;
      redirectUri = `${callbackOrigin}/keycloak-callback`;
      platform = await startPlatform({
        idp: true,
        apps: {
          helm: { permission: "admin", env: { HELM_SCRAPE_INTERVAL_SECONDS: "60", LOG_LEVEL: "info" } },
          probe: { start: false },
        },
        env: { NEXUS_PUBLIC_URL: callbackOrigin },
      });
      helm = platform.urls.helm!;
      return {
        platform,
        helm,
        /** An admin who is not in the IdP (`bun run token`), so the IdP's own admins can be the "last admin". */
        cliAdmin: await platform.token("admin"),
        /** The IdP's seeded admin, signed in. */
        admin: (await signIn("admin", "admin")).token!,
      };
    },
    stop: () => platform.stop(),
  };
}
