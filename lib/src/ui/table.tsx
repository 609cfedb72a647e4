import type { Child } from "hono/jsx";

export interface Column {
  label: Child;
  /** Sort link for this column, with the direction it is currently sorted in, if any. */
  sortHref?: string;
  sorted?: "asc" | "desc";
  numeric?: boolean;
}

export function Table({ columns, children, caption }: { columns: Column[]; children?: Child; caption?: string }) {
  return (
    <div class="table__wrap">
      <table class="table">
        {caption && <caption class="table__caption">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                class={c.numeric ? "table__head table__head--numeric" : "table__head"}
                scope="col"
                aria-sort={c.sorted === "asc" ? "ascending" : c.sorted === "desc" ? "descending" : undefined}
              >
                {c.sortHref ? (
                  <a class="table__sort" href={c.sortHref}>
                    {c.label}
                    {c.sorted && (
                      <span class="table__sort-indicator" aria-hidden="true">
                        {c.sorted === "asc" ? " ▲" : " ▼"}
                      </span>
                    )}
                  </a>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Cell({ children, numeric }: { children?: Child; numeric?: boolean }) {
  return <td class={numeric ? "table__cell table__cell--numeric" : "table__cell"}>{children}</td>;
}
