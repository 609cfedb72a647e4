import type { Child } from "hono/jsx";

export type AlertVariant = "info" | "success" | "warning" | "error";

export function Alert({
  variant = "info",
  title,
  children,
}: {
  variant?: AlertVariant;
  title?: Child;
  children?: Child;
}) {
  return (
    <div class={`alert alert--${variant}`} role={variant === "error" ? "alert" : "status"}>
      {title && <p class="alert__title">{title}</p>}
      {children && <div class="alert__message">{children}</div>}
    </div>
  );
}
