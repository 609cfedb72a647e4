import { access } from "@hivematrix/lib/access";
import type { PermissionLevel } from "@hivematrix/lib/config";

/** Who may call Nexus's own routes. */
export const NEXUS_ACCESS = {
  /** Health, the stylesheet, and sign-in and sign-out, which work with or without a session. */
  anyone: access.public("public"),
  signedIn: access.people("signed-in"),
};

/** Who may open an app through Nexus: its level and admins; no `permission` means every signed-in user. */
export function mayOpen(level: PermissionLevel, permission: PermissionLevel | null): boolean {
  return permission === null || level === "admin" || level === permission;
}
