import type { Child } from "hono/jsx";

export function EmptyState({ title, message, action }: { title: Child; message?: Child; action?: Child }) {
  return (
    <div class="empty-state">
      <p class="empty-state__title">{title}</p>
      {message && <p class="empty-state__message">{message}</p>}
      {action && <div class="empty-state__action">{action}</div>}
    </div>
  );
}
