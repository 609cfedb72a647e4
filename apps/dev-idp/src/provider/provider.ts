import { randomBytes } from "node:crypto";
import type { JWK } from "jose";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { securityHeaders } from "@hivematrix/lib/security-headers";
import type { DevIdpDb } from "../deps.ts";
import { claimsOf } from "../users/claims.ts";
import { findUser } from "../users/data.ts";
import { oidcStorage } from "./data.ts";
import { IdpErrorPage, LogoutPage, SignedOutPage } from "./views.tsx";

export const CLIENT_SCOPES = "openid profile email";

/** Keycloak's URL layout under /realms/<realm>, so apps cannot tell the dev IdP from Keycloak. */
export const KEYCLOAK_ROUTES = {
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  userinfo: "/protocol/openid-connect/userinfo",
  jwks: "/protocol/openid-connect/certs",
  end_session: "/protocol/openid-connect/logout",
  revocation: "/protocol/openid-connect/revoke",
  introspection: "/protocol/openid-connect/token/introspect",
} as const;

export interface ProviderOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  signingKey: JWK;
  cookieKeys: string[];
  /** The users (read live) and oidc-provider's storage (sessions, grants, tokens). */
  db: DevIdpDb;
  /** Builds the login page's path for an interaction (it honours Nexus's X-Forwarded-Prefix). */
  interactionPath: (ctx: KoaContextWithOIDC, uid: string) => string;
}

const render = async (node: unknown) => `${await Promise.resolve(String(node))}`;

export function createProvider(options: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: oidcStorage(options.db),
    clients: [
      {
        client_id: options.clientId,
        client_name: "HiveMatrix",
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    routes: KEYCLOAK_ROUTES,
    pkce: { required: () => true },
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: {
      // groups and company ride on `openid`, so they reach the ID token, userinfo and the access token.
      openid: ["sub", "groups", "company"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    conformIdTokenClaims: false,
    // Read live: a user disabled or deleted through the admin API has no account any more, so
    // their SSO session and tokens stop working at once (userinfo refuses them).
    async findAccount(_ctx, id) {
      const user = await findUser(options.db, id);
      if (!user?.enabled) return undefined;
      return { accountId: id, claims: async () => claimsOf((await findUser(options.db, id)) ?? user) };
    },
    async extraTokenClaims(_ctx, token) {
      const id = "accountId" in token && typeof token.accountId === "string" ? token.accountId : null;
      const user = id ? await findUser(options.db, id) : null;
      return user ? { groups: user.groups, preferred_username: user.username } : undefined;
    },
    // First-party client only: consent is implied, as with Keycloak's default realm clients.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope(CLIENT_SCOPES);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => options.interactionPath(ctx, interaction.uid) },
    features: {
      devInteractions: { enabled: false },
      // A client may only introspect or revoke its own tokens.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = "html";
          ctx.body = await render(
            LogoutPage({
              form,
              autoSubmit: Boolean(ctx.oidc.params?.id_token_hint),
              nonce: (ctx.state as { cspNonce: string }).cspNonce,
            }),
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = "html";
          ctx.body = await render(SignedOutPage());
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = await render(
        IdpErrorPage({
          error: String(out.error),
          description: out.error_description ? String(out.error_description) : undefined,
        }),
      );
    },
    cookies: {
      keys: options.cookieKeys,
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    jwks: { keys: [options.signingKey as never] },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    // Sessions end with the browser unless the IdP session is still live (Keycloak's default).
    rotateRefreshToken: true,
  };
  const provider = new Provider(options.issuer, configuration);
  // Trust X-Forwarded-* : the dev IdP binds loopback, so only Nexus (or this machine) reaches it.
  provider.proxy = true;
  // The provider's own pages (sign-out, errors) get the apps' security headers; one inline script may run, by nonce.
  provider.use(async (ctx, next) => {
    const nonce = randomBytes(16).toString("base64");
    (ctx.state as { cspNonce: string }).cspNonce = nonce;
    await next();
    ctx.set(securityHeaders(nonce));
  });
  return provider;
}
