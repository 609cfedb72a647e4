import {
  Alert,
  Badge,
  BarChart,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  LineChart,
  PageHeader,
  Stat,
  StatGrid,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { HOME_PAGES, THEMES, type SyncJob } from "../db/schema.ts";
import type { globalSearch } from "../routes/api-misc.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { label, when } from "../shared/format.ts";

export interface DashboardData {
  counts: { label: string; value: number; href: string }[];
  weeks: { week: string; opened: number; closed: number }[];
  assetTypes: { label: string; value: number }[];
}

export function DashboardPage({ p, data, title }: { p: PageCtx; data: DashboardData; title: string }) {
  return (
    <Shell p={p} title="Dashboard" section="dashboard">
      <PageHeader title={title} description="Counts, ticket flow and the device mix at a glance." />
      <Toolbar label="Search everything" action={p.url("/search")}>
        <ToolbarGroup grow>
          <Field name="q" label="Search companies, contacts, assets and tickets" type="search" />
        </ToolbarGroup>
        <ToolbarGroup>
          <Button label="Search" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      <StatGrid>
        {data.counts.map((s) => (
          <Stat label={s.label} value={s.value.toLocaleString("en-US")} href={s.href} />
        ))}
      </StatGrid>
      <Card title="Tickets">
        <LineChart
          title="Tickets opened and closed per week"
          unit="tickets"
          series={[
            { name: "Opened", points: data.weeks.map((w) => ({ x: w.week, y: w.opened })) },
            { name: "Closed", points: data.weeks.map((w) => ({ x: w.week, y: w.closed })) },
          ]}
        />
      </Card>
      <Card title="Assets">
        <BarChart title="Assets by type" unit="assets" data={data.assetTypes} emptyMessage="No assets yet." />
      </Card>
    </Shell>
  );
}

type SearchResult = Awaited<ReturnType<typeof globalSearch>>;

export function SearchPage({
  p,
  q,
  result,
  error,
}: {
  p: PageCtx;
  q: string;
  result: SearchResult | null;
  error?: string;
}) {
  const none =
    result && !result.companies.length && !result.contacts.length && !result.assets.length && !result.tickets.length;
  return (
    <Shell p={p} title={q ? `Search: ${q}` : "Search"} section="search">
      <PageHeader title="Search" />
      <Toolbar label="Search everything" action={p.url("/search")}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search companies, contacts, assets and tickets"
            type="search"
            value={q}
            error={error}
          />
        </ToolbarGroup>
        <ToolbarGroup>
          <Button label="Search" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      {none && <EmptyState title="Nothing found" message={`Nothing matches “${q}”. Try fewer or shorter words.`} />}
      {result && result.companies.length > 0 && (
        <Card title="Companies">
          <Table columns={[{ label: "Account" }, { label: "Name" }, { label: "Domain" }]}>
            {result.companies.map((c) => (
              <tr>
                <Cell>{c.account_number}</Cell>
                <Cell>
                  <a href={p.url(`/companies/${encodeURIComponent(c.account_number)}`)}>{c.name}</a>
                </Cell>
                <Cell>{c.domain ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.contacts.length > 0 && (
        <Card title="Contacts">
          <Table columns={[{ label: "Name" }, { label: "Email" }, { label: "Job title" }]}>
            {result.contacts.map((c) => (
              <tr>
                <Cell>
                  <a href={p.url(`/contacts/${c.id}`)}>{c.name}</a>
                </Cell>
                <Cell>{c.email ?? "—"}</Cell>
                <Cell>{c.job_title ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.assets.length > 0 && (
        <Card title="Assets">
          <Table columns={[{ label: "Hostname" }, { label: "Type" }, { label: "Company" }]}>
            {result.assets.map((a) => (
              <tr>
                <Cell>
                  <a href={p.url(`/assets/${a.id}`)}>{a.hostname}</a>
                </Cell>
                <Cell>{a.asset_type}</Cell>
                <Cell>{a.company ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.tickets.length > 0 && (
        <Card title="Tickets">
          <Table columns={[{ label: "Subject" }, { label: "Status" }, { label: "Company" }, { label: "Updated" }]}>
            {result.tickets.map((t) => (
              <tr>
                <Cell>
                  <a href={p.url(`/tickets/${t.id}`)}>{t.subject}</a>
                </Cell>
                <Cell>{label(t.status)}</Cell>
                <Cell>{t.company ?? "—"}</Cell>
                <Cell>{when(t.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </Shell>
  );
}

export function AgentsPage({
  p,
  agents,
}: {
  p: PageCtx;
  agents: {
    id: number;
    name: string;
    email: string;
    username: string | null;
    enabled: boolean;
    theme: string;
    home_page: string;
    external_source: string | null;
    last_synced_at: string | null;
  }[];
}) {
  return (
    <Shell p={p} title="Agents" section="agents">
      <PageHeader
        title="Agents"
        description="HiveMatrix staff and PSA agents. People and their groups are managed in the identity provider; Keycloak sync keeps this list current."
        actions={
          p.level === "admin" && (
            <>
              <Button href="/helm/users" label="Manage users in Helm" />
              <Button href={p.url("/admin/integrations")} label="Sync settings" />
            </>
          )
        }
      />
      <Card>
        {agents.length === 0 ? (
          <EmptyState
            title="No agents yet"
            message="Run the Keycloak agent sync, or they appear as people save their settings."
          />
        ) : (
          <Table
            columns={[
              { label: "Name" },
              { label: "Username" },
              { label: "Email" },
              { label: "Status" },
              { label: "Theme" },
              { label: "Home page" },
              { label: "Source" },
              { label: "Last synced" },
            ]}
          >
            {agents.map((a) => (
              <tr>
                <Cell>{a.name}</Cell>
                <Cell>{a.username ?? "—"}</Cell>
                <Cell>{a.email}</Cell>
                <Cell>{a.enabled ? <Badge variant="success">enabled</Badge> : <Badge>disabled</Badge>}</Cell>
                <Cell>{a.theme}</Cell>
                <Cell>{a.home_page}</Cell>
                <Cell>{a.external_source ?? "HiveMatrix"}</Cell>
                <Cell>{when(a.last_synced_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Shell>
  );
}

export function SettingsPage({
  p,
  values,
  errors,
  saved,
  problem,
}: {
  p: PageCtx;
  values: { theme: string; home_page: string };
  errors: FieldErrors;
  saved: boolean;
  /** Why the settings could not be saved, when no one field is to blame. */
  problem?: string;
}) {
  return (
    <Shell
      p={p}
      title="My settings"
      section="settings"
      notice={
        problem
          ? { variant: "error", text: `Not saved: ${problem} Ask an admin to change or delete that agent.` }
          : saved
            ? { variant: "success", text: "Settings saved." }
            : null
      }
    >
      <PageHeader title="My settings" description="How HiveMatrix looks for you and where it opens." />
      <Card>
        <Form action={p.url("/settings")} csrf={p.csrf} label="My settings">
          <Field
            name="theme"
            label="Theme"
            type="select"
            value={values.theme}
            error={errors.theme}
            options={THEMES.map((t) => ({ value: t, label: t === "system" ? "Same as my device" : t }))}
          />
          <Field
            name="home_page"
            label="Home page"
            type="select"
            value={values.home_page}
            error={errors.home_page}
            options={HOME_PAGES.map((h) => ({ value: h, label: h[0]!.toUpperCase() + h.slice(1) }))}
          />
          <FormActions>
            <Button label="Save" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </Shell>
  );
}

export function AdminPage({
  p,
  stats,
  jobs,
  audit,
  engine,
}: {
  p: PageCtx;
  stats: { label: string; value: number }[];
  jobs: SyncJob[];
  audit: { id: number; at: Date; actor: string; action: string; entity: string; entityId: string }[];
  engine: string;
}) {
  return (
    <Shell p={p} title="Admin settings" section="admin">
      <PageHeader
        title="Admin settings"
        description={`Database: ${engine}.`}
        actions={
          <>
            <Button href={p.url("/admin/integrations")} label="Integrations and sync" variant="primary" />
            <Button href={p.url("/admin/ticket-board")} label="Ticket board SLA" />
            <Button href={p.url("/admin/clear-data")} label="Clear data" variant="danger" />
          </>
        }
      />
      <Card title="Database">
        <DescriptionList items={stats.map((s) => ({ term: s.label, detail: s.value.toLocaleString("en-US") }))} />
      </Card>
      <Card
        title="Recent syncs"
        actions={<Button href={p.url("/admin/integrations")} label="Run or schedule" size="small" />}
      >
        {jobs.length === 0 ? (
          <EmptyState title="No syncs have run" />
        ) : (
          <Table
            columns={[
              { label: "Kind" },
              { label: "Provider" },
              { label: "Status" },
              { label: "Started" },
              { label: "Finished" },
              { label: "Error" },
            ]}
          >
            {jobs.map((j) => (
              <tr>
                <Cell>{j.kind}</Cell>
                <Cell>{j.provider}</Cell>
                <Cell>
                  <Badge variant={j.status === "succeeded" ? "success" : j.status === "failed" ? "danger" : "info"}>
                    {j.status}
                  </Badge>
                </Cell>
                <Cell>{when(j.startedAt)}</Cell>
                <Cell>{when(j.finishedAt)}</Cell>
                <Cell>{j.error ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Recent changes (audit log)">
        {audit.length === 0 ? (
          <EmptyState title="No changes yet" />
        ) : (
          <Table columns={[{ label: "When" }, { label: "Who" }, { label: "What" }, { label: "Record" }]}>
            {audit.map((a) => (
              <tr>
                <Cell>{when(a.at)}</Cell>
                <Cell>{a.actor}</Cell>
                <Cell>{a.action}</Cell>
                <Cell>
                  {label(a.entity)} {a.entityId}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
        <p class="meta">The full log, with before and after values, is at GET /api/audit.</p>
      </Card>
    </Shell>
  );
}

export function ImportPage({
  p,
  kind,
  errors,
  result,
}: {
  p: PageCtx;
  kind: string;
  errors: FieldErrors;
  result?: { created: number; updated: number; unchanged: number } | { rows: { line: number; messages: string }[] };
}) {
  return (
    <Shell
      p={p}
      title={`Import ${kind}`}
      section={kind === "companies" ? "companies" : kind === "contacts" ? "contacts" : "assets"}
    >
      <PageHeader
        title={`Import ${kind} from CSV`}
        description="Use the columns of the export. Every row is checked first: if any row is wrong, nothing is imported."
      />
      {result && "created" in result && (
        <Alert
          variant="success"
          title="Imported"
        >{`${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`}</Alert>
      )}
      {result && "rows" in result && (
        <Alert variant="error" title="Nothing was imported">
          <ul>
            {result.rows.map((r) => (
              <li>
                Line {r.line}: {r.messages}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <Card>
        <Form action={p.url(`/import/${kind}`)} csrf={p.csrf} enctype="multipart/form-data" label={`Import ${kind}`}>
          <Field name="file" label="CSV file" type="file" required error={errors.file} />
          <FormActions>
            <Button label="Import" variant="primary" />
            <Button href={p.url(`/api/${kind}/export.csv`)} label="Download the current data as CSV" variant="ghost" />
          </FormActions>
        </Form>
      </Card>
    </Shell>
  );
}
