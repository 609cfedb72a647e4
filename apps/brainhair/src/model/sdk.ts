import Anthropic, { APIConnectionError, APIError } from "@anthropic-ai/sdk";
import { ModelError } from "./errors.ts";

/**
 * What needs the Anthropic SDK at run time: client.ts imports this module with a chat's first
 * model request, so an idle Brainhair (or one without a key) never loads the SDK's 1.6 MB of code.
 */
export { Anthropic };

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get("retry-after");
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const RETRYABLE_TYPES = new Set(["overloaded_error", "api_error", "rate_limit_error", "timeout_error"]);

/** Turns whatever the SDK threw into a ModelError with a message that says what to do. */
export function describeModelError(error: unknown, model: string): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIConnectionError)
    return new ModelError(`The Anthropic API could not be reached (${error.message}).`, true);
  if (error instanceof APIError) {
    const status = error.status;
    const detail = error.apiMessage ?? error.message;
    const wait = retryAfterMs(error.headers);
    if (status === 429 || error.type === "rate_limit_error")
      return new ModelError(`The Anthropic API is rate-limiting this key (429: ${detail}).`, true, wait);
    if (status === 529 || error.type === "overloaded_error")
      return new ModelError(`The Anthropic API is overloaded (${detail}).`, true, wait);
    if (status === undefined && error.type && RETRYABLE_TYPES.has(error.type))
      return new ModelError(`The model's answer broke off (${error.type}: ${detail}).`, true, wait);
    if (status !== undefined && (status >= 500 || status === 408))
      return new ModelError(`The Anthropic API failed (${status}: ${detail}).`, true, wait);
    if (status === 401)
      return new ModelError(
        "The Anthropic API refused the key (401). " +
          "Set a valid ANTHROPIC_API_KEY or secrets/anthropic.secret and restart Brainhair.",
        false,
      );
    if (status === 403) return new ModelError(`The Anthropic key may not use this (403: ${detail}).`, false);
    if (status === 404)
      return new ModelError(
        `The model ${model} is not available to this key (404: ${detail}); check BRAINHAIR_MODEL.`,
        false,
      );
    return new ModelError(`The Anthropic API refused the request (${status ?? "error"}: ${detail}).`, false);
  }
  return new ModelError(`The model request failed: ${(error as Error)?.message ?? String(error)}`, false);
}
