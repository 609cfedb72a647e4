import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { HttpError } from "@hivematrix/lib/errors";
import type { FieldIssue } from "@hivematrix/lib/validate";
import { KeycloakError } from "../users/keycloak-error.ts";

/** Keycloak's error bodies, as its admin API and token endpoint answer them. */
export const keycloakErrorSchema = z
  .object({
    error: z.string().optional().meta({ description: "e.g. invalid_grant, User not found, HTTP 401 Unauthorized" }),
    error_description: z.string().optional(),
    errorMessage: z.string().optional().meta({ description: "e.g. User exists with same username" }),
    field: z.string().optional().meta({ description: "The attribute a validation error is about" }),
    params: z.array(z.string()).optional(),
  })
  .meta({ id: "KeycloakError" });

export const keycloakError = (description: string) => ({
  description,
  content: { "application/json": { schema: keycloakErrorSchema } },
});

/** What every admin route may answer besides its own: no admin token, a realm user's token, another realm. */
export const adminRefusals = {
  401: keycloakError("No admin token, or one that has lapsed"),
  403: keycloakError("A realm user's own token: realm users may not use the admin API"),
  404: keycloakError("No such realm, or nothing of that id in it"),
} as const;

const STATUS_TEXT: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
};

/** Keycloak's answer to what went wrong: its own refusals as they are, the rest as Keycloak words them. */
function keycloakAnswer(error: Error | undefined, status: number): { status: number; body: Record<string, unknown> } {
  if (error instanceof KeycloakError) return { status: error.status, body: error.body };
  const refused = error instanceof HttpError || error instanceof HTTPException ? error.status : status;
  // Input Keycloak cannot read (not JSON, a field of the wrong type) is its 400 invalid_request.
  if (refused === 400 || refused === 422) {
    const issues = error instanceof HttpError && Array.isArray(error.details) ? (error.details as FieldIssue[]) : [];
    const description = issues.length ? issues.map((i) => `${i.field}: ${i.message}`).join("; ") : error?.message;
    return { status: 400, body: { error: "invalid_request", error_description: description } };
  }
  if (refused >= 500) {
    return {
      status: refused,
      body: { error: "unknown_error", error_description: "For more on this error consult the server log." },
    };
  }
  return { status: refused, body: { error: `HTTP ${refused} ${STATUS_TEXT[refused] ?? "Error"}` } };
}

/**
 * The admin API answers in Keycloak's words, not the platform's: the app's error handler has
 * written the platform's error shape (and logged what was a fault) by the time this runs, so it
 * rewrites that answer, and an address no route serves, as Keycloak would have answered.
 */
export const keycloakAnswers: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.error && c.res.status !== 404) return;
  const { status, body } = keycloakAnswer(c.error, c.res.status);
  c.res = new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
};
