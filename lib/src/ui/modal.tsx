import type { Child } from "hono/jsx";

/**
 * A dialog opened by linking to `#id` and closed by linking away; CSS `:target` shows it,
 * so it works without JavaScript.
 */
export function Modal({ id, title, children, closeHref = "#" }: { id: string; title: Child; children?: Child; closeHref?: string }) {
  return (
    <div class="modal" id={id} role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
      <div class="modal__dialog">
        <header class="modal__header">
          <h2 class="modal__title" id={`${id}-title`}>{title}</h2>
          <a class="modal__close" href={closeHref} aria-label="Close">×</a>
        </header>
        <div class="modal__body">{children}</div>
      </div>
    </div>
  );
}
