import type { Context } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import type { Deps } from "../deps.ts";
import type { Actor } from "../shared/data-audit.ts";
import type { TicketViewer } from "../data/tickets.ts";

/** The audit log's "who" for this request. */
export function actorOf(c: Context<AppEnv>): Actor {
  const user = c.get("user");
  return { name: user ? user.preferred_username : `service:${c.get("service")}`, requestId: c.get("requestId") };
}

export function isClient(c: Context<AppEnv>): boolean {
  return c.get("user")?.permission_level === "client";
}

/** Whom this request's tickets are shown to (services see what staff see). */
export function ticketViewer(c: Context<AppEnv>): TicketViewer {
  return isClient(c) ? "client" : "staff";
}

/** No company can have this id: a client whose company is unknown sees nothing. */
const NOBODY = -1;

/**
 * The company a request is confined to: null for staff and services, the client's company id
 * otherwise (from the `company` claim, an account number).
 */
export async function scopeCompanyId(c: Context<AppEnv>, deps: Deps): Promise<number | null> {
  const user = c.get("user");
  if (user?.permission_level !== "client") return null;
  if (!user.company) return NOBODY;
  const [row] = await deps.db.db
    .select({ id: deps.db.t.companies.id })
    .from(deps.db.t.companies)
    .where(eq(deps.db.t.companies.accountNumber, user.company));
  return row?.id ?? NOBODY;
}

/** 404 (not 403, so nothing leaks) when a client asks for another company's record. */
export async function assertVisible(c: Context<AppEnv>, deps: Deps, companyId: number, what = "record"): Promise<void> {
  const scope = await scopeCompanyId(c, deps);
  if (scope !== null && scope !== companyId) throw notFound(`No such ${what}.`);
}

/** For records linked to several companies (contacts): visible when any link is the client's. */
export async function assertVisibleAny(
  c: Context<AppEnv>,
  deps: Deps,
  companyIds: number[],
  what = "record",
): Promise<void> {
  const scope = await scopeCompanyId(c, deps);
  if (scope !== null && !companyIds.includes(scope)) throw notFound(`No such ${what}.`);
}

export function intParam(c: Context<AppEnv>, name: string): number {
  const raw = c.req.param(name) ?? "";
  if (!/^\d{1,9}$/.test(raw)) throw notFound(`No such ${name.replace(/_?id$/, "") || "record"}.`);
  return Number(raw);
}

/** The `:acct` path parameter (an account number) as the router decoded it: once, never again. */
export function acctParam(c: Context<AppEnv>): string {
  return c.req.param("acct") ?? "";
}
