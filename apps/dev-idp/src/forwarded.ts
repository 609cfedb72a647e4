import type { IncomingMessage } from "node:http";

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** Whether a connection comes from this machine (Nexus, the platform's own processes). */
export const isLoopback = (address: string | undefined) => LOOPBACK.test(address ?? "");

/** Nexus serves the IdP under a prefix (/keycloak); generated links must keep it. */
export function forwardedPrefix(req: IncomingMessage): string {
  const p = req.headers["x-forwarded-prefix"];
  return typeof p === "string" && /^(\/[A-Za-z0-9_-]+)+$/.test(p) ? p : "";
}

/**
 * The browser's address: Nexus (the only thing that reaches this loopback server from outside)
 * names it in X-Forwarded-For.
 */
export function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? "";
  const forwarded = req.headers["x-forwarded-for"];
  return isLoopback(peer) && typeof forwarded === "string" && forwarded ? forwarded.split(",")[0]!.trim() : peer;
}
