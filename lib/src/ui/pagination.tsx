import type { Child } from "hono/jsx";

/** Cursor pagination: links to the previous and next pages when they exist. */
export function Pagination({
  prevHref,
  nextHref,
  info,
}: {
  prevHref?: string | null;
  nextHref?: string | null;
  info?: Child;
}) {
  return (
    <nav class="pagination" aria-label="Pages">
      {prevHref ? (
        <a class="pagination__link" href={prevHref} rel="prev">
          ← Previous
        </a>
      ) : (
        <span class="pagination__link pagination__link--disabled" aria-disabled="true">
          ← Previous
        </span>
      )}
      {info && <span class="pagination__info">{info}</span>}
      {nextHref ? (
        <a class="pagination__link" href={nextHref} rel="next">
          Next →
        </a>
      ) : (
        <span class="pagination__link pagination__link--disabled" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
