import type { Child } from "hono/jsx";

export type BadgeVariant = "neutral" | "info" | "success" | "warning" | "danger";

export function Badge({ variant = "neutral", children }: { variant?: BadgeVariant; children?: Child }) {
  return <span class={`badge badge--${variant}`}>{children}</span>;
}
