/**
 * Request headers that describe the client's hop to Nexus, or that a client claims about hops
 * before it: never passed on (Nexus sets the X-Forwarded-* headers it vouches for itself).
 */
export const HOP_HEADERS = [
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "x-forwarded-prefix",
  "x-forwarded-port",
  "x-real-ip",
];

/** Credentials the client gave Nexus; what Nexus forwards to gets its own (or none). */
export const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization"];
