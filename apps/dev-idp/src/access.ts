import { access } from "@hivematrix/lib/access";

/**
 * Who may call the dev IdP's routes. None takes a HiveMatrix token: the admin API takes the
 * master realm admin's bearer token, as Keycloak's does, and all of it answers only on loopback.
 */
export const DEV_IDP_ACCESS = {
  /** Served only to this machine's loopback, like the admin API. */
  loopback: access.public("loopback", "served only to connections from this machine's loopback"),
  masterAdmin: access.public(
    "master-admin",
    "the master realm admin's password (admin-cli's password grant), then its bearer token; loopback only",
  ),
};
