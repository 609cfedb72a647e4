import {
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
