import type { Child } from "hono/jsx";
import type { Context } from "hono";
import { prefixOf, type AppEnv } from "@hivematrix/lib/app";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { Alert, Layout, type NavLink } from "@hivematrix/lib/ui";
import type { CodexDeps } from "../context.ts";

/** What every page needs to know about the request. */
export interface PageCtx {
  prefix: string;
  level: PermissionLevel;
  user: { name: string; level: string };
  /** The client's account number (client users only). */
  company: string | null;
  csrf: string;
  url(path: string): string;
}

export function pageCtx(c: Context<AppEnv>, deps: CodexDeps): PageCtx {
  const u = c.get("user")!;
  const prefix = prefixOf(c);
  return {
    prefix,
    level: u.permission_level,
    user: { name: u.name || u.preferred_username, level: u.permission_level },
    company: u.permission_level === "client" ? (u.company ?? null) : null,
    csrf: deps.csrf.token(c),
    url: (path: string) => prefix + path,
  };
}

export type Section =
  | "dashboard"
  | "companies"
  | "contacts"
  | "assets"
  | "tickets"
  | "board"
  | "billing"
  | "agents"
  | "admin"
  | "settings"
  | "search";

export const canWriteData = (p: PageCtx) => p.level === "admin" || p.level === "technician";
export const canBill = (p: PageCtx) => p.level === "admin" || p.level === "billing";
export const isStaff = (p: PageCtx) => p.level !== "client";

function nav(p: PageCtx, current: Section): NavLink[] {
  const links: [Section, string, string][] = [["dashboard", "Dashboard", "/"]];
  if (p.level === "client")
    links.push(["companies", "My company", `/companies/${encodeURIComponent(p.company ?? "")}`]);
  else links.push(["companies", "Companies", "/companies"]);
  links.push(
    ["contacts", "Contacts", "/contacts"],
    ["assets", "Assets", "/assets"],
    ["tickets", "Tickets", "/tickets"],
  );
  if (isStaff(p))
    links.push(
      ["board", "Ticket board", "/tickets/board"],
      ["billing", "Billing", "/billing"],
      ["agents", "Agents", "/agents"],
      ["settings", "My settings", "/settings"],
    );
  if (p.level === "admin") links.push(["admin", "Admin", "/admin"]);
  return links.map(([s, label, href]) => ({ label, href: p.url(href), current: s === current }));
}

/** A Codex page: the shared layout with this user's navigation and an optional notice. */
export function Shell({
  p,
  title,
  section,
  notice,
  refreshSeconds,
  children,
}: {
  p: PageCtx;
  title: string;
  section: Section;
  notice?: { variant: "success" | "error" | "info"; text: string } | null;
  refreshSeconds?: number;
  children?: Child;
}) {
  return (
    <Layout
      title={title}
      app="Codex"
      home={p.url("/")}
      platformHome={p.prefix ? "/" : undefined}
      nav={nav(p, section)}
      user={p.user}
      refreshSeconds={refreshSeconds}
    >
      {notice && <Alert variant={notice.variant}>{notice.text}</Alert>}
      {children}
    </Layout>
  );
}

export const money = (cents: number) =>
  `${cents < 0 ? "−" : ""}$${(Math.abs(cents) / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const when = (iso: string | Date | null | undefined) =>
  iso ? `${new Date(iso).toISOString().replace("T", " ").slice(0, 16)} UTC` : "—";
export const label = (s: string | null | undefined) => (s ? s.replace(/_/g, " ") : "—");

/** The "show stale" filter of lists: stale records (gone from the PSA or RMM) are hidden by default. */
export const STALE_OPTIONS = [
  { value: "exclude", label: "Hide stale" },
  { value: "include", label: "Show stale too" },
  { value: "only", label: "Only stale" },
];

/** Drops the default so links stay short. */
export const staleParam = (v: string | undefined) => (v && v !== "exclude" ? v : undefined);

/** Query string from an object, skipping empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const e = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return e.length ? `?${new URLSearchParams(e.map(([k, v]) => [k, String(v)])).toString()}` : "";
}
