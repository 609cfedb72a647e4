import type { MiddlewareHandler } from "hono";
import type { UserClaims } from "./auth.ts";
import { PERMISSION_LEVELS, type PermissionLevel } from "./config.ts";
import { forbidden } from "./errors.tsx";

/**
 * Who may call a route. Every route of every app names one, so the OpenAPI document
 * (`x-permission`), the guard that enforces it and the permission tests all read the same rule.
 */
export interface Access {
  /** The rule's name in the app's vocabulary ("read", "billing", "admin", …). */
  name: string;
  /** People of these levels may call it. */
  levels: readonly PermissionLevel[];
  /** Service tokens may call it; per DESIGN.md they pass user-level checks, so this is the default for APIs. */
  services: boolean;
  /** No token is asked for: the route is open to anyone or authenticates itself (a secret, a signature). */
  public: boolean;
  /** A client user reaches only its own company's data through it. */
  clientScoped: boolean;
  /** For public routes: how the route authenticates its caller, for the reader of the API document. */
  note?: string;
}

const ALL_PEOPLE = PERMISSION_LEVELS;

/** The rules apps build their vocabulary from. */
export const access = {
  /** Open to anyone (health, keys) or checked by the route itself (`note` says how). */
  public: (name = "public", note?: string): Access => ({
    name,
    levels: [],
    services: false,
    public: true,
    clientScoped: false,
    note,
  }),
  /** People of `levels` and service tokens. */
  callers: (name: string, levels: readonly PermissionLevel[], o: { clientScoped?: boolean } = {}): Access => ({
    name,
    levels,
    services: true,
    public: false,
    clientScoped: o.clientScoped ?? false,
  }),
  /** Signed-in people of `levels` only: pages, and APIs about the caller themself. */
  people: (name: string, levels: readonly PermissionLevel[] = ALL_PEOPLE): Access => ({
    name,
    levels,
    services: false,
    public: false,
    clientScoped: false,
  }),
  /** Service tokens only (machine-to-machine routes such as log ingestion). */
  services: (name = "services"): Access => ({
    name,
    levels: [],
    services: true,
    public: false,
    clientScoped: false,
  }),
};

/** Who the rule admits, in words, for the API document. */
export function describeAccess(rule: Access): string {
  if (rule.public) return rule.note ? `Anyone; ${rule.note}` : "Anyone, without a token.";
  const people = rule.levels.length ? `${rule.levels.join(", ")} users` : "";
  const who = [people, rule.services ? "service tokens" : ""].filter(Boolean).join(" and ");
  return `${who}.${rule.clientScoped ? " Client users see only their own company's data." : ""}`;
}

/**
 * The check after authentication: a user of the rule's levels, or a service call where the rule
 * admits services. `authenticate` (lib/auth's tokenRequired) runs first and sets the principal.
 */
export function guardFor(rule: Access, authenticate: MiddlewareHandler): MiddlewareHandler[] {
  if (rule.public) return [];
  const check: MiddlewareHandler = async (c, next) => {
    if (c.get("isServiceCall")) {
      if (!rule.services) throw forbidden("This is for signed-in people, not services.");
      return next();
    }
    const user = c.get("user") as UserClaims | null;
    if (!user || !rule.levels.includes(user.permission_level)) {
      const need = rule.levels.length ? `the ${rule.levels.join(" or ")} permission level` : "a service token";
      throw forbidden(`This needs ${need}; you are ${user?.permission_level ?? "not a user"}.`);
    }
    await next();
  };
  return [authenticate, check];
}
