import type { MiddlewareHandler } from "hono";
import { badRequest } from "./errors.tsx";

/**
 * Refuses addresses no route can mean. A NUL character fits no field (PostgreSQL cannot even
 * store one). A malformed percent-escape (`%E0%A4%A`, a lone `%`) has no decoding: Hono's
 * router would hand the raw text to the handler, indistinguishable from a decoded `%25`, so
 * it is a 400 here and handlers read parameters as the router decoded them, never again.
 */
export const addressGuard: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  if (url.includes("%00")) throw badRequest("The address contains a NUL character (%00).");
  try {
    decodeURIComponent(new URL(url).pathname);
  } catch {
    throw badRequest("The address has a malformed percent-escape (% must start valid UTF-8 in hex, as %25 or %C3%A9).");
  }
  await next();
};
