import { IntegrationError } from "../http.ts";

/**
 * Why Freshservice refused a request, in its own words: its error body is
 * `{"description": "Validation failed", "errors": [{"field", "message", "code"}]}` for invalid
 * input and `{"code", "message"}` otherwise (https://api.freshservice.com/#error_codes).
 */
export function freshserviceMessage(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object") return null;
  const answer = parsed as { description?: unknown; message?: unknown; errors?: unknown };
  const errors = Array.isArray(answer.errors)
    ? answer.errors.flatMap((error: { field?: unknown; message?: unknown }) => {
        if (typeof error?.message !== "string") return [];
        return [typeof error.field === "string" && error.field ? `${error.field}: ${error.message}` : error.message];
      })
    : [];
  const headline = typeof answer.description === "string" ? answer.description : null;
  if (errors.length) return `${headline ?? "refused"} (${errors.join("; ")})`;
  if (typeof answer.message === "string") return answer.message;
  return headline;
}

/** The reason shown on the ticket for a request that ended in `error`. */
export function failureReason(error: unknown): string {
  if (!(error instanceof IntegrationError)) return (error as Error).message;
  const said = freshserviceMessage(error.body);
  if (error.status !== null && error.status >= 500)
    return `Freshservice failed with ${error.status}${said ? `: ${said}` : ""}`;
  if (error.status === 401 || error.status === 403)
    return `Freshservice refused the API key (${error.status}${said ? `: ${said}` : ""}); check it in Codex's integration settings`;
  if (error.status === 404) return "the ticket no longer exists in Freshservice (404)";
  if (error.status !== null) return `Freshservice answered ${error.status}: ${said ?? error.message}`;
  return error.message;
}
