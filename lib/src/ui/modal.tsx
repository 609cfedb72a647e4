import type { Child } from "hono/jsx";

interface ModalProps {
  id: string;
  title: Child;
  children?: Child;
  /** Buttons under the body (confirm, cancel). */
  footer?: Child;
  /** Where the close link goes; "#" clears the :target. */
  closeHref?: string;
  /**
   * Renders the dialog already open, e.g. when a form inside it failed validation. Then
   * :target is not what shows it, so closeHref must be a URL that renders the page closed.
   */
  open?: boolean;
}

/**
 * A dialog opened by linking to `#id` and closed by linking away; CSS `:target` shows it,
 * so it works without JavaScript.
 */
export function Modal({ id, title, children, footer, closeHref = "#", open }: ModalProps) {
  return (
    <div
      class={open ? "modal modal--open" : "modal"}
      id={id}
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
    >
      <div class="modal__dialog">
        <header class="modal__header">
          <h2 class="modal__title" id={`${id}-title`}>
            {title}
          </h2>
          <a class="modal__close" href={closeHref} aria-label="Close">
            ×
          </a>
        </header>
        <div class="modal__body">{children}</div>
        {footer && <footer class="modal__footer">{footer}</footer>}
      </div>
    </div>
  );
}
