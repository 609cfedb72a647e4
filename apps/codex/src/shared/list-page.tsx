import type { Child } from "hono/jsx";
import { usePage } from "@hivematrix/lib/page";
import { Button, Card, type Column, EmptyState, PageHeader, Pagination, Table, Toolbar } from "@hivematrix/lib/ui";
import { canWriteData } from "./levels.ts";

export interface ListPageProps {
  title: string;
  description: string;
  /** Buttons beside the title (export, import, new). */
  actions?: Child;
  /** The search form: its label, where it submits and its ToolbarGroups of fields. */
  filters: { label: string; action: string; children: Child };
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
