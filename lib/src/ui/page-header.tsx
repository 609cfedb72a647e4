import type { Child } from "hono/jsx";

export function PageHeader({ title, description, actions }: { title: Child; description?: Child; actions?: Child }) {
  return (
    <div class="page-header">
      <div class="page-header__content">
        <h1 class="page-header__title">{title}</h1>
        {description && <p class="page-header__description">{description}</p>}
      </div>
      {actions && <div class="page-header__actions">{actions}</div>}
    </div>
  );
}
