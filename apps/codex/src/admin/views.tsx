import { usePage } from "@hivematrix/lib/page";
import { Badge, Button, Card, Cell, DescriptionList, EmptyState, PageHeader, Table } from "@hivematrix/lib/ui";
import type { SyncJob } from "../db/schema.ts";
import type { MailOverview } from "../mail/outbox/json.ts";
import { MailSummary } from "../mail/outbox/views.tsx";
import { label, when } from "../shared/format.ts";
import type { RecentChange } from "./json.ts";

function RecentSyncs({ jobs }: { jobs: SyncJob[] }) {
  if (jobs.length === 0) return <EmptyState title="No syncs have run" />;
  return (
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
      {jobs.map((job) => (
        <tr>
          <Cell>{job.kind}</Cell>
          <Cell>{job.provider}</Cell>
          <Cell>
            <Badge variant={job.status === "succeeded" ? "success" : job.status === "failed" ? "danger" : "info"}>
              {job.status}
            </Badge>
          </Cell>
          <Cell>{when(job.startedAt)}</Cell>
          <Cell>{when(job.finishedAt)}</Cell>
          <Cell>{job.error ?? "—"}</Cell>
        </tr>
      ))}
    </Table>
  );
}

function RecentChanges({ audit }: { audit: RecentChange[] }) {
  if (audit.length === 0) return <EmptyState title="No changes yet" />;
  return (
    <Table columns={[{ label: "When" }, { label: "Who" }, { label: "What" }, { label: "Record" }]}>
      {audit.map((change) => (
        <tr>
          <Cell>{when(change.at)}</Cell>
          <Cell>{change.actor}</Cell>
          <Cell>{change.action}</Cell>
          <Cell>
            {label(change.entity)} {change.entityId}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

export function AdminPage({
  stats,
  jobs,
  audit,
  engine,
  mail,
}: {
  stats: { label: string; value: number }[];
  jobs: SyncJob[];
  audit: RecentChange[];
  engine: string;
  mail: MailOverview;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Admin settings"
        description={`Database: ${engine}.`}
        actions={
          <>
            <Button href={page.url("/admin/integrations")} label="Integrations and sync" variant="primary" />
            <Button href={page.url("/admin/ticket-board")} label="Ticket board SLA" />
            <Button href={page.url("/admin/clear-data")} label="Clear data" variant="danger" />
          </>
        }
      />
      <Card title="Database">
        <DescriptionList
          items={stats.map((stat) => ({ term: stat.label, detail: stat.value.toLocaleString("en-US") }))}
        />
      </Card>
      <Card
        title="Email"
        actions={<Button href={page.url("/admin/mail")} label="Outbox and messages read" size="small" />}
      >
        <MailSummary overview={mail} />
      </Card>
      <Card
        title="Recent syncs"
        actions={<Button href={page.url("/admin/integrations")} label="Run or schedule" size="small" />}
      >
        <RecentSyncs jobs={jobs} />
      </Card>
      <Card title="Recent changes (audit log)">
        <RecentChanges audit={audit} />
        <p class="meta">The full log, with before and after values, is at GET /api/audit.</p>
      </Card>
    </>
  );
}
