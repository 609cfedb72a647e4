import type { DevUser } from "./data.ts";

/** The claims of the realm's user in ID tokens, access tokens and userinfo. */
export function claimsOf(user: DevUser) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ") || user.username;
  const company = user.attributes.company?.[0];
  return {
    sub: user.id,
    name,
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    preferred_username: user.username,
    ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
    groups: user.groups,
    ...(company ? { company } : {}),
  };
}
