import type { Child } from "hono/jsx";

export type ButtonVariant = "primary" | "secondary" | "danger";

interface ButtonProps {
  label: Child;
  variant?: ButtonVariant;
  /** Renders a link styled as a button instead of a <button>. */
  href?: string;
  type?: "submit" | "button";
  name?: string;
  value?: string;
  icon?: Child;
  disabled?: boolean;
}

export function Button({ label, variant = "secondary", href, type = "submit", name, value, icon, disabled }: ButtonProps) {
  const cls = `btn btn--${variant}`;
  const inner = (
    <>
      {icon && <span class="btn__icon" aria-hidden="true">{icon}</span>}
      <span class="btn__label">{label}</span>
    </>
  );
  if (href) return <a class={cls} href={href}>{inner}</a>;
  return (
    <button class={cls} type={type} name={name} value={value} disabled={disabled}>
      {inner}
    </button>
  );
}
