import { generateCodeVerifier, generateState, KeyCloak, OAuth2RequestError } from "arctic";
import { createRemoteJWKSet, jwtVerify } from "jose";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Sealer } from "../sessions/seal.ts";

export const SCOPES = ["openid", "profile", "email"];
const LOGIN_TTL_S = 600;

/** What the login cookie remembers between the redirect to the IdP and the callback. */
interface PendingLogin {
  state: string;
  verifier: string;
  nonce: string;
  target: string;
}

/** What the identity provider sends the browser back to /keycloak-callback with. */
export interface IdpAnswer {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/** A sign-in that cannot finish; the message is shown to the person. */
export class LoginError extends Error {}

/**
 * The authorization-code flow with PKCE, state and nonce, using arctic's KeyCloak client
 * twice: the browser is sent to the realm under Nexus's own `/keycloak` prefix (one public
 * port), while Nexus redeems the code on the back channel at KEYCLOAK_URL.
 */
export function createOidc(config: AppConfig, clientSecret: string, sealer: Sealer) {
  const realmPath = `/realms/${config.idp.realm}`;
  const backChannel = `${config.idp.url}${realmPath}`;
  const keys = createRemoteJWKSet(new URL(`${backChannel}/protocol/openid-connect/certs`), {
    cooldownDuration: 1_000,
    timeoutDuration: 5_000,
  });
  let issuer: Promise<string> | null = null;

  /** The realm's issuer, from its discovery document (Keycloak names it by its public URL). */
  const issuerOf = () => {
    issuer ??= fetch(`${backChannel}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) })
      .then((r) =>
        r.ok ? (r.json() as Promise<{ issuer: string }>) : Promise.reject(new Error(`discovery answered ${r.status}`)),
      )
      .then((d) => d.issuer)
      .catch((e) => {
        issuer = null;
        throw new LoginError(`The identity provider cannot be reached (${(e as Error).message}).`);
      });
    return issuer;
  };

  const callbackUrl = (origin: string) => `${origin}/keycloak-callback`;

  return {
    loginMaxAge: LOGIN_TTL_S,

    /** The IdP authorization URL for a browser at `origin`, and the sealed login cookie value. */
    async start(origin: string, target: string) {
      const client = new KeyCloak(
        `${origin}/keycloak${realmPath}`,
        config.idp.clientId,
        clientSecret,
        callbackUrl(origin),
      );
      const pending: PendingLogin = {
        state: generateState(),
        verifier: generateCodeVerifier(),
        nonce: generateState(),
        target,
      };
      const url = client.createAuthorizationURL(pending.state, pending.verifier, SCOPES);
      url.searchParams.set("nonce", pending.nonce);
      return { location: url.toString(), cookie: await sealer.seal(pending, "login") };
    },

    /** Redeems the code and checks the ID token (signature, iss, aud, nonce); returns the tokens and target. */
    async finish(origin: string, answer: IdpAnswer, sealedLogin: string | null) {
      const pending = sealedLogin ? await sealer.open<PendingLogin>(sealedLogin, "login") : null;
      if (answer.error)
        throw new LoginError(
          `The identity provider refused the sign-in (${answer.error_description ?? answer.error}).`,
        );
      if (!pending) throw new LoginError("This sign-in attempt has expired or was started in another browser.");
      const { state, code } = answer;
      if (!state || state !== pending.state || !code)
        throw new LoginError("This sign-in response does not match the attempt this browser started.");
      const client = new KeyCloak(backChannel, config.idp.clientId, clientSecret, callbackUrl(origin));
      let accessToken: string;
      let idToken: string;
      try {
        const tokens = await client.validateAuthorizationCode(code, pending.verifier);
        accessToken = tokens.accessToken();
        idToken = tokens.idToken();
      } catch (e) {
        if (e instanceof OAuth2RequestError)
          throw new LoginError(`The identity provider did not accept the sign-in code (${e.code}).`);
        throw new LoginError(`The identity provider cannot be reached (${(e as Error).message}).`);
      }
      try {
        const { payload } = await jwtVerify(idToken, keys, {
          issuer: await issuerOf(),
          audience: config.idp.clientId,
          algorithms: ["RS256"],
        });
        if (payload.nonce !== pending.nonce) throw new Error("nonce mismatch");
      } catch (e) {
        if (e instanceof LoginError) throw e;
        throw new LoginError(`The identity provider's ID token failed its checks (${(e as Error).message}).`);
      }
      return { accessToken, idToken, target: pending.target };
    },

    /** The IdP's end-session URL (through /keycloak), returning to /signed-out. */
    logoutUrl(origin: string, idToken: string | null): string {
      const url = new URL(`${origin}/keycloak${realmPath}/protocol/openid-connect/logout`);
      url.searchParams.set("client_id", config.idp.clientId);
      url.searchParams.set("post_logout_redirect_uri", `${origin}/signed-out`);
      if (idToken) url.searchParams.set("id_token_hint", idToken);
      return url.toString();
    },
  };
}

export type Oidc = ReturnType<typeof createOidc>;
