import type { Child } from "hono/jsx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "small";

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
  /** Compact button for table rows and toolbars. */
  size?: ButtonSize;
}

export function Button({
  label,
  variant = "secondary",
  href,
  type = "submit",
  name,
  value,
  icon,
  disabled,
  size,
}: ButtonProps) {
  const cls = size ? `btn btn--${variant} btn--${size}` : `btn btn--${variant}`;
  const inner = (
    <>
      {icon && (
        <span class="btn__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span class="btn__label">{label}</span>
    </>
  );
  if (href) {
    // A disabled link has no href, so it cannot be followed; aria-disabled tells assistive tech.
    return disabled ? (
      // biome-ignore lint/a11y/useValidAnchor: a disabled link keeps its look but has nothing to follow
      <a class={cls} aria-disabled="true">
        {inner}
      </a>
    ) : (
      <a class={cls} href={href}>
        {inner}
      </a>
    );
  }
  return (
    <button class={cls} type={type} name={name} value={value} disabled={disabled}>
      {inner}
    </button>
  );
}
