import type { Child } from "hono/jsx";
import { usePage } from "@hivematrix/lib/page";
import {
  Button,
  Card,
  type Column,
  EmptyState,
  Field,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { canWriteData } from "./levels.ts";

export interface ListPageProps {
  title: string;
  description: string;
  /** Buttons beside the title (export, import, new). */
  actions?: Child;
  /**
   * The search form: its label, where it submits, its search box (`q`, taking the room left) and
   * its other ToolbarGroups of fields.
   */
  filters: { label: string; action: string; search: { value?: string; placeholder: string }; children: Child };
  columns: Column[];
  /** One `<tr>` per record; none shows `empty`. */
  rows: Child[];
  empty: { title: string; message?: string };
  /** Links to the first page (when not on it) and the next. */
  prevHref: string | null;
  nextHref: string | null;
}

/** Every list page: its header, a search form, the table (or why it is empty) and cursor pagination. */
export function ListPage(props: ListPageProps) {
  return (
    <>
      <PageHeader title={props.title} description={props.description} actions={props.actions} />
      <Toolbar label={props.filters.label} action={props.filters.action}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search"
            type="search"
            value={props.filters.search.value ?? ""}
            placeholder={props.filters.search.placeholder}
          />
        </ToolbarGroup>
        {props.filters.children}
      </Toolbar>
      <Card>
        {props.rows.length === 0 ? (
          <EmptyState title={props.empty.title} message={props.empty.message} />
        ) : (
          <Table columns={props.columns}>{props.rows}</Table>
        )}
        <Pagination prevHref={props.prevHref} nextHref={props.nextHref} info={`${props.rows.length} shown`} />
      </Card>
    </>
  );
}

/** A list's Export CSV and (for who may write) Import CSV and New buttons. */
export function CsvListActions({ kind, create }: { kind: string; create?: { href: string; label: string } }) {
  const page = usePage();
  return (
    <>
      <Button href={page.url(`/api/${kind}/export.csv`)} label="Export CSV" />
      {canWriteData(page) && <Button href={page.url(`/import/${kind}`)} label="Import CSV" />}
      {canWriteData(page) && create && <Button href={page.url(create.href)} label={create.label} variant="primary" />}
    </>
  );
}

/** A list's company filter, for staff (a client sees only its own company's records anyway). */
export function CompanyFilter({ value, label = "Company (account number)" }: { value?: string; label?: string }) {
  const page = usePage();
  return page.level === "client" ? null : <Field name="company" label={label} value={value ?? ""} />;
}
