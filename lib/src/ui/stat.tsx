import type { Child } from "hono/jsx";

export function Stat({ label, value, href, hint }: { label: Child; value: Child; href?: string; hint?: Child }) {
  const body = (
    <>
      <span class="stat__value">{value}</span>
      <span class="stat__label">{label}</span>
      {hint && <span class="stat__hint">{hint}</span>}
    </>
  );
  return href ? (
    <a class="stat stat--link" href={href}>
      {body}
    </a>
  ) : (
    <div class="stat">{body}</div>
  );
}

export function StatGrid({ children }: { children?: Child }) {
  return <div class="stat-grid">{children}</div>;
}
