import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HttpError } from "@hivematrix/lib/errors";

/**
 * A refusal in Keycloak's own shape (`{errorMessage}`, `{error}` or `{field, errorMessage,
 * params}`), which the admin API answers as is. An HttpError, so it is never logged as a fault.
 */
export class KeycloakError extends HttpError {
  constructor(
    status: ContentfulStatusCode,
    readonly body: Record<string, unknown>,
  ) {
    super(status, "keycloak_error", String(body.errorMessage ?? body.error ?? status));
  }
}

export const userNotFound = () => new KeycloakError(404, { error: "User not found" });
