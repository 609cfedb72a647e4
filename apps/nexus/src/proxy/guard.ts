import type { ServiceEntry } from "@hivematrix/lib/config";

/** Paths of a service that must never be reachable from outside (checked after decoding). */
const BLOCKED: Record<string, RegExp> = { core: /^\/service-token(\/|$)/i };

/**
 * Whether `rest` (the path after `/<service>`) is one the service must never be asked for from
 * outside, however it is spelled: percent-escapes decoded, repeated slashes collapsed.
 */
export function isBlockedPath(serviceName: string, rest: string): boolean {
  const blocked = BLOCKED[serviceName];
  if (!blocked) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest).replace(/\/{2,}/g, "/");
  } catch {
    decoded = rest;
  }
  return blocked.test(decoded);
}

/**
 * Whether `rest` lies under one of the service's publicPaths. Only plain paths qualify: any
 * percent-escape or dot segment could be decoded by the app into a path outside the prefix.
 */
export function isPublicPath(service: ServiceEntry, rest: string): boolean {
  // Stryker disable next-line ConditionalExpression: a shortcut on the hot path; no prefix matches anyway
  if (service.publicPaths.length === 0) return false;
  if (/%|\/\.\.?(\/|$)|\\/.test(rest)) return false;
  return service.publicPaths.some((prefix) => rest.startsWith(prefix));
}
