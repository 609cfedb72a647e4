import { access } from "@hivematrix/lib/access";

/** Who may call Core's routes. */
export const CORE_ACCESS = {
  anyone: access.public("public"),
  tokenHolder: access.public("token-holder", "the token in the body is the credential (Nexus, apps, bun run token)"),
  serviceSecret: access.public("service-secret", "HTTP Basic with the calling service's name and secret"),
  admin: access.callers("admin", ["admin"]),
  services: access.services("services"),
  adminPages: access.people("admin", ["admin"]),
  signedIn: access.people("signed-in"),
};
