import {
  Button,
  Card,
  EmptyState,
  Field,
  LogLine,
  LogList,
  PageHeader,
  Pagination,
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { usePage } from "@hivematrix/lib/page";
import { LOG_LEVELS, type LogEntryRow } from "../db/schema.ts";

function contextText(row: LogEntryRow): string | undefined {
  const extra = {
    ...(row.requestId ? { request_id: row.requestId } : {}),
    ...(row.user ? { user: row.user } : {}),
    ...(row.context ?? {}),
  };
  return Object.keys(extra).length ? JSON.stringify(extra, null, 2) : undefined;
}

export function LogRow({ row }: { row: LogEntryRow }) {
  return (
    <LogLine
      time={row.at.toISOString()}
      service={row.service}
      level={row.level}
      message={row.message}
      context={contextText(row)}
    />
  );
}

type Values = Record<string, string | undefined>;

function FilterFields({
  services,
  query,
  errors,
  times,
}: {
  services: string[];
  query: Values;
  errors: Record<string, string>;
  times: boolean;
}) {
  return (
    <>
      <Field
        name="service"
        label="Service"
        type="select"
        value={query.service ?? ""}
        options={[{ value: "", label: "All services" }, ...services.map((s) => ({ value: s, label: s }))]}
        error={errors.service}
      />
      <Field
        name="level"
        label="Level (and above)"
        type="select"
        value={query.level ?? ""}
        options={[{ value: "", label: "Any level" }, ...LOG_LEVELS.map((l) => ({ value: l, label: l }))]}
        error={errors.level}
      />
      <Field name="q" label="Message contains" type="search" value={query.q ?? ""} error={errors.q} />
      <Field name="request_id" label="Request id" value={query.request_id ?? ""} error={errors.request_id} />
      <Field name="user" label="User" value={query.user ?? ""} error={errors.user} />
      {times && (
        <Field
          name="from"
          label="From"
          value={query.from ?? ""}
          placeholder="2h or 2025-01-31T14:00"
          error={errors.from}
        />
      )}
      {times && <Field name="to" label="To" value={query.to ?? ""} placeholder="2025-01-31" error={errors.to} />}
    </>
  );
}

function queryString(query: Values, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...extra })) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export interface LogsPageProps {
  services: string[];
  query: Values;
  errors: Record<string, string>;
  rows: LogEntryRow[];
  total: number;
  older: string | null;
  newer: string | null;
}

export function LogsPage({ services, query, errors, rows, total, older, newer }: LogsPageProps) {
  const page = usePage();
  const base = page.url("/logs");
  const { from: _f, to: _t, ...tailQuery } = query;
  return (
    <>
      <PageHeader
        title="Logs"
        description={
          "Every app's log lines in one place, newest first. Times are UTC." +
          " Lines are kept for the retention period set on the Configuration page."
        }
        actions={
          <Button href={page.url(`/logs/tail${queryString(tailQuery)}`)} label="Live tail" variant="secondary" />
        }
      />
      <Toolbar label="Filter log lines" action={base}>
        <FilterFields services={services} query={query} errors={errors} times />
        <ToolbarGroup end>
          <Button label="Filter" variant="primary" />
          <Button href={base} label="Clear" variant="ghost" />
        </ToolbarGroup>
      </Toolbar>
      <Card title={`${total.toLocaleString("en")} matching line${total === 1 ? "" : "s"}`}>
        {rows.length === 0 ? (
          <EmptyState
            title="No log lines match"
            message={
              "Widen the filters, or check that the apps are running:" +
              " they ship their lines to Helm within a second or two."
            }
          />
        ) : (
          <LogList label="Log lines, newest first">
            {rows.map((row) => (
              <LogRow row={row} />
            ))}
          </LogList>
        )}
        <Pagination
          prevHref={newer ? `${base}${queryString(query, { after: newer })}` : null}
          nextHref={older ? `${base}${queryString(query, { before: older })}` : null}
          info="Newest first"
        />
      </Card>
    </>
  );
}

export interface LiveTailPageProps {
  services: string[];
  query: Values;
  errors: Record<string, string>;
  /** The latest lines, oldest first. */
  backlog: LogEntryRow[];
}

export function LiveTailPage({ services, query, errors, backlog }: LiveTailPageProps) {
  const page = usePage();
  const { from: _f, to: _t, ...filters } = query;
  // The stream starts after the newest line shown, so nothing stored in between is lost.
  const withoutScript =
    "The live part of this page needs JavaScript; without it this is a snapshot of the latest" +
    ` ${backlog.length} lines. Reload to refresh.`;
  const stream = page.url(`/logs/stream${queryString(filters, { after_id: String(backlog.at(-1)?.id ?? 0) })}`);
  return (
    <>
      <PageHeader
        title="Live tail"
        description="New log lines appear at the bottom as apps ship them. Times are UTC."
      />
      <Toolbar label="Filter the live tail" action={page.url("/logs/tail")}>
        <FilterFields services={services} query={filters} errors={errors} times={false} />
        <ToolbarGroup end>
          <Button label="Apply" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      <Card title="Lines">
        <noscript>
          <p>{withoutScript}</p>
        </noscript>
        <p id="live-status" role="status">
          Connecting…
        </p>
        <ol
          class="log"
          id="live-log"
          aria-label="Live log lines, oldest first"
          data-stream={stream}
          data-max-lines="1000"
        >
          {backlog.map((row) => (
            <LogRow row={row} />
          ))}
        </ol>
      </Card>
      <script src={page.url("/static/live-tail.js")} defer></script>
    </>
  );
}
