import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { DEV_IDP_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { keycloakError } from "./keycloak.ts";
import { ADMIN_TOKEN_SECONDS, type AdminTokens } from "./tokens.ts";

const tokenRoute = apiRoute({
  method: "post",
  path: "/realms/master/protocol/openid-connect/token",
  access: DEV_IDP_ACCESS.masterAdmin,
  ownErrors: true,
  tags: ["Admin sign-in"],
  summary: "The master realm's password grant for admin-cli: the admin's bearer token for the admin API",
  request: {
    body: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: z.object({
            grant_type: z.string().optional().meta({ description: "password" }),
            client_id: z.string().optional().meta({ description: "admin-cli" }),
            username: z.string().optional(),
            password: z.string().optional().meta({ description: "secrets/keycloak-admin.secret" }),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "A bearer token for a minute",
      content: {
        "application/json": {
          schema: z.object({
            access_token: z.string(),
            expires_in: z.number().int(),
            refresh_expires_in: z.number().int(),
            token_type: z.literal("Bearer"),
            "not-before-policy": z.number().int(),
            scope: z.string(),
          }),
        },
      },
    },
    400: keycloakError("Not the password grant (unsupported_grant_type), or a body that is not a form"),
    401: keycloakError("Not admin-cli (invalid_client), or not the admin's password (invalid_grant)"),
    415: keycloakError("The body is not a form"),
  },
});

/** How an admin client (lib/keycloak-admin) signs in, as to Keycloak's master realm. */
export function adminTokenApi(routes: RouteTable, deps: Pick<Deps, "logger">, tokens: AdminTokens) {
  routes.api(tokenRoute, (c) => {
    const form = c.req.valid("form");
    if (form.grant_type !== "password")
      return c.json({ error: "unsupported_grant_type", error_description: "Unsupported grant_type" }, 400);
    if (form.client_id !== "admin-cli")
      return c.json(
        { error: "invalid_client", error_description: "Invalid client or Invalid client credentials" },
        401,
      );
    if (!tokens.isAdmin(form.username, form.password)) {
      deps.logger.warn("admin sign-in refused", { username: form.username ?? null });
      return c.json({ error: "invalid_grant", error_description: "Invalid user credentials" }, 401);
    }
    return c.json(
      {
        access_token: tokens.issue(),
        expires_in: ADMIN_TOKEN_SECONDS,
        refresh_expires_in: 0,
        token_type: "Bearer" as const,
        "not-before-policy": 0,
        scope: "profile email",
      },
      200,
    );
  });
}
