import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
  Badge,
  type BadgeVariant,
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  Stat,
  StatGrid,
  Table,
} from "@hivematrix/lib/ui";
import { formatBytes } from "../services/format.ts";
import type { BackupRunJson, ProgressJson } from "./json.ts";
import type { BackupsStatus } from "./state.ts";

const OUTCOME_BADGE: Record<BackupRunJson["outcome"], BadgeVariant> = {
  running: "info",
  succeeded: "success",
  failed: "danger",
};

/** A UTC time as Helm's pages write it: 2026-01-31 02:00:00. */
export function utc(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}

function Time({ iso }: { iso: string | null }) {
  return iso ? <time datetime={iso}>{utc(iso)}</time> : <>—</>;
}

/** What the backup under way is doing, in words. */
export function progressText(progress: ProgressJson): string {
  const share = progress.percent === null ? "" : ` (${progress.percent} %)`;
  if (progress.phase === "starting") return "starting";
  if (progress.phase === "copy") return `copying ${progress.item}${share}`;
  return `encrypting and writing the archive${share}`;
}

export interface BackupsPageProps {
  status: BackupsStatus;
  values: Record<string, string>;
  errors: FieldErrors;
  error?: string;
}

export function BackupsPage({ status, values, errors, error }: BackupsPageProps) {
  const page = usePage();
  const { running, schedule } = status;
  return (
    <>
      <PageHeader
        title="Backups"
        description={
          <>
            Encrypted archives of the whole install (every database, keys, secrets and settings) in{" "}
            <code>{status.folder}</code>. Times are UTC.
          </>
        }
        actions={
          <>
            <Form action={page.url("/backups/run")} csrf={page.csrf} inline label="Back up now">
              <Button label="Back up now" variant="primary" disabled={running !== null} />
            </Form>
            <Button href={page.url("/backups")} label="Refresh" variant="secondary" />
          </>
        }
      />
      {error && (
        <Alert variant="error" title="That was not done">
          {error}
        </Alert>
      )}
      {running && (
        <Alert variant="info" title={`Backup ${running.run_id || ""} under way`}>
          It is {progressText(running)}; this page reloads every few seconds until it ends.
        </Alert>
      )}
      <StatGrid>
        <Stat
          label="Last successful backup"
          value={status.last_success ? utc(status.last_success) : "never"}
          hint="Seen in the backup folder or recorded by Helm"
        />
        <Stat
          label="Next scheduled backup"
          value={schedule.next_run ? utc(schedule.next_run) : "no schedule"}
          hint={schedule.cron ? `cron ${schedule.cron} (UTC)` : "Set one below"}
        />
        <Stat
          label="Archives in the folder"
          value={String(status.archives.length)}
          hint={formatBytes(status.archives.reduce((sum, archive) => sum + archive.bytes, 0))}
        />
      </StatGrid>
      <Card title="Schedule and retention">
        <Form action={page.url("/backups/schedule")} csrf={page.csrf} wide label="Backup schedule">
          <Field
            name="cron"
            label="Schedule (cron, UTC)"
            value={values.cron}
            error={errors.cron}
            placeholder="0 2 * * *"
            hint={
              "Minute, hour, day of month, month, day of week: 0 2 * * * is every day at 02:00 UTC." +
              " Empty: no schedule."
            }
          />
          <Field
            name="keep_daily"
            label="Daily backups to keep"
            type="number"
            min="0"
            value={values.keep_daily}
            error={errors.keep_daily}
            required
            hint="The newest backup of each of this many most recent days."
          />
          <Field
            name="keep_weekly"
            label="Weekly backups to keep"
            type="number"
            min="0"
            value={values.keep_weekly}
            error={errors.keep_weekly}
            required
            hint={
              "The newest backup of each of this many most recent weeks. Other archives are deleted after each" +
              " backup Helm makes."
            }
          />
          <FormActions>
            <Button label="Save schedule" variant="primary" />
          </FormActions>
        </Form>
        {schedule.updated_by && (
          <p class="meta">
            Saved by {schedule.updated_by} at <Time iso={schedule.updated_at} />.
          </p>
        )}
      </Card>
      <ArchivesCard archives={status.archives} />
      <RunsCard runs={status.runs} />
    </>
  );
}

function ArchivesCard({ archives }: { archives: BackupsStatus["archives"] }) {
  const page = usePage();
  return (
    <Card title="Backup files">
      {archives.length === 0 ? (
        <EmptyState title="No backups in the folder yet" message="Back up now, or set a schedule." />
      ) : (
        <Table
          columns={[{ label: "Archive" }, { label: "Made (UTC)" }, { label: "Size", numeric: true }, { label: "" }]}
        >
          {archives.map((archive) => (
            <tr>
              <Cell>
                <code>{archive.name}</code>
              </Cell>
              <Cell>
                <Time iso={archive.created_at} />
              </Cell>
              <Cell numeric>{formatBytes(archive.bytes)}</Cell>
              <Cell>
                <a href={page.url(`/backups/download/${archive.name}`)} download={archive.name}>
                  Download<span class="visually-hidden"> {archive.name}</span>
                </a>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <p class="meta">An archive opens only with the backup key: keep the key apart from the archives.</p>
    </Card>
  );
}

function RunsCard({ runs }: { runs: BackupRunJson[] }) {
  return (
    <Card title="Recent backups by Helm">
      {runs.length === 0 ? (
        <EmptyState title="Helm has not made a backup yet" />
      ) : (
        <Table
          columns={[
            { label: "Began (UTC)" },
            { label: "By" },
            { label: "Outcome" },
            { label: "Size", numeric: true },
            { label: "Details" },
          ]}
        >
          {runs.map((run) => (
            <tr>
              <Cell>
                <Time iso={run.started_at} />
              </Cell>
              <Cell>{run.trigger === "schedule" ? "the schedule" : run.actor}</Cell>
              <Cell>
                <Badge variant={OUTCOME_BADGE[run.outcome]}>{run.outcome}</Badge>
              </Cell>
              <Cell numeric>{run.bytes === null ? "—" : formatBytes(run.bytes)}</Cell>
              <Cell>{[run.file, run.message].filter(Boolean).join(" · ") || "—"}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
