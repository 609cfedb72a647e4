import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import type { Person } from "../agents/json.ts";
import type { TicketViewer } from "../tickets/json.ts";
import type { Actor } from "./data-audit.ts";

/** The audit log's "who" for this request. */
export function actorOf(c: Context<AppEnv>): Actor {
  const user = c.get("user");
  return { name: user ? user.preferred_username : `service:${c.get("service")}`, requestId: c.get("requestId") };
}

/** The signed-in person as their token names them. */
export function personOf(c: Context<AppEnv>): Person {
  const user = c.get("user")!;
  return {
    idp_user_id: user.sub,
    username: user.preferred_username,
    email: user.email || null,
    name: user.name || user.preferred_username,
  };
}

/** Who writes a reply or note: the signed-in person, or the calling service. */
export function authorOf(c: Context<AppEnv>): { authorName: string; authorEmail: string | null } {
  const user = c.get("user");
  return user
    ? { authorName: user.name || user.preferred_username, authorEmail: user.email || null }
    : { authorName: `service:${c.get("service")}`, authorEmail: null };
}

/** Who uploads a file: the person (their IdP user id) or the calling service. */
export function uploaderOf(c: Context<AppEnv>): { id: string; name: string } {
  const user = c.get("user");
  if (user) return { id: user.sub, name: user.name || user.preferred_username };
  const service = `service:${c.get("service")}`;
  return { id: service, name: service };
}

/** Who opens a ticket, as the ticket records them; null for a service (a sync says who in its own fields). */
export function openerOf(c: Context<AppEnv>): { id: string; name: string; email: string | null } | null {
  const user = c.get("user");
  return user ? { id: user.sub, name: user.name || user.preferred_username, email: user.email || null } : null;
}

export function isClient(c: Context<AppEnv>): boolean {
  return c.get("user")?.permission_level === "client";
}

/** Whom this request's tickets are shown to (services see what staff see). */
export function ticketViewer(c: Context<AppEnv>): TicketViewer {
  return isClient(c) ? "client" : "staff";
}

/** A page's numeric path parameter (pages read their own; API routes declare theirs): 404 unless up to nine digits. */
export function intParam(c: Context<AppEnv>, name: string): number {
  const raw = c.req.param(name) ?? "";
  if (!/^\d{1,9}$/.test(raw)) throw notFound(`No such ${name.replace(/_?id$/, "") || "record"}.`);
  return Number(raw);
}

/** A page's `{acct}` path parameter (an account number) as the router decoded it: once, never again. */
export function acctParam(c: Context<AppEnv>): string {
  return c.req.param("acct") ?? "";
}
