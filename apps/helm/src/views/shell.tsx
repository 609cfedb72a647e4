import type { Child } from "hono/jsx";
import { Layout, type NavLink } from "@hivematrix/lib/ui";

export type Section = "services" | "users" | "logs" | "tail" | "security" | "config";

const SECTIONS: { id: Section; path: string; label: string }[] = [
  { id: "services", path: "/services", label: "Services" },
  { id: "users", path: "/users", label: "Users" },
  { id: "logs", path: "/logs", label: "Logs" },
  { id: "tail", path: "/logs/tail", label: "Live tail" },
  { id: "security", path: "/security", label: "Security audit" },
  { id: "config", path: "/config", label: "Configuration" },
];

export interface PageContext {
  prefix: string;
  user: { name: string; level: string };
  /** The signed-in admin's identity-provider id (`sub`). */
  userId: string;
  csrf: string;
}

/** Every Helm page: the layout with Helm's sections in the navigation. */
export function HelmPage({
  title,
  section,
  ctx,
  children,
}: {
  title: string;
  section: Section;
  ctx: PageContext;
  children?: Child;
}) {
  const nav: NavLink[] = SECTIONS.map((s) => ({
    href: `${ctx.prefix}${s.path}`,
    label: s.label,
    current: s.id === section,
  }));
  return (
    <Layout
      title={title}
      app="Helm"
      home={`${ctx.prefix}/services`}
      platformHome={ctx.prefix ? "/" : undefined}
      nav={nav}
      user={ctx.user}
    >
      {children}
    </Layout>
  );
}

export function formatBytes(n: number | null): string {
  if (n === null) return "—";
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}
