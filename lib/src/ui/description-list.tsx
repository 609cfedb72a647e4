import type { Child } from "hono/jsx";

export interface DescriptionItem {
  term: Child;
  /** Empty details (null, undefined, "") show an em dash so a missing value reads as missing. */
  detail: Child;
}

/** Key/value details of one record: a company's plan, an asset's serial number. */
export function DescriptionList({ items, label }: { items: DescriptionItem[]; label?: string }) {
  return (
    <dl class="description-list" aria-label={label}>
      {items.map((item) => (
        <div class="description-list__item">
          <dt class="description-list__term">{item.term}</dt>
          <dd class="description-list__detail">{isEmpty(item.detail) ? "—" : item.detail}</dd>
        </div>
      ))}
    </dl>
  );
}

function isEmpty(detail: Child): boolean {
  return detail === null || detail === undefined || detail === "" || detail === false;
}
