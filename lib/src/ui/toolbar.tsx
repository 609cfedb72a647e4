import type { Child } from "hono/jsx";

interface ToolbarProps {
  /** Names the row for assistive tech, e.g. "Filter tickets". */
  label: string;
  /** When set, the toolbar is a GET form to this URL, so filters live in the query string. */
  action?: string;
  children?: Child;
}

/**
 * The filter and action row above a table or list. Filters are plain GET forms: they need no
 * CSRF token and the filtered view can be bookmarked.
 */
export function Toolbar({ label, action, children }: ToolbarProps) {
  if (action !== undefined) {
    return (
      // biome-ignore lint/a11y/useSemanticElements: role=search on the form is the landmark every browser knows
      <form class="toolbar" method="get" action={action} role="search" aria-label={label}>
        {children}
      </form>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would add a border and legend the toolbar does not want
    <div class="toolbar" role="group" aria-label={label}>
      {children}
    </div>
  );
}

/** A cluster of controls in a toolbar; `grow` takes the spare width, `end` sits at the far end. */
export function ToolbarGroup({ children, grow, end }: { children?: Child; grow?: boolean; end?: boolean }) {
  const cls = ["toolbar__group", grow && "toolbar__group--grow", end && "toolbar__group--end"]
    .filter(Boolean)
    .join(" ");
  return <div class={cls}>{children}</div>;
}
