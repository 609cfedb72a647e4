import type { Child } from "hono/jsx";

export interface TabLink {
  href: string;
  label: Child;
  current?: boolean;
}

/**
 * Links between sibling views of one record or list (e.g. Plans / Features). Each tab is its
 * own page, so this is navigation with aria-current, not an ARIA tablist that needs scripts.
 */
export function Tabs({ tabs, label }: { tabs: TabLink[]; label: string }) {
  return (
    <nav class="tabs" aria-label={label}>
      <ul class="tabs__list">
        {tabs.map((t) => (
          <li class="tabs__item">
            <a
              class={t.current ? "tabs__tab tabs__tab--current" : "tabs__tab"}
              href={t.href}
              aria-current={t.current ? "page" : undefined}
            >
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
