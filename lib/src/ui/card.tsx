import type { Child } from "hono/jsx";

export function Card({
  title,
  actions,
  children,
  id,
}: {
  title?: Child;
  actions?: Child;
  children?: Child;
  id?: string;
}) {
  return (
    <section class="card" id={id}>
      {(title || actions) && (
        <header class="card__header">
          {title && <h2 class="card__title">{title}</h2>}
          {actions && <div class="card__actions">{actions}</div>}
        </header>
      )}
      <div class="card__body">{children}</div>
    </section>
  );
}
