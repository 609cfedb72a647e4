import { Badge, Card, Cell, Table } from "@hivematrix/lib/ui";
import type { SyncJob } from "../../db/schema.ts";
import type { JobKind } from "../settings.ts";
import { PROGRESS_COUNT, type Progress } from "../sync/report.ts";
import { when } from "./form-state.tsx";
import { JOB_LABELS } from "./job-labels.ts";

export interface SyncHistoryProps {
  url: (path: string) => string;
  jobs: { job: SyncJob; progress: Progress }[];
}

function statusBadge(status: string) {
  const variant =
    status === "succeeded" ? "success" : status === "failed" ? "danger" : status === "running" ? "info" : "neutral";
  return <Badge variant={variant}>{status}</Badge>;
}

function ProgressText({ status, progress: p }: { status: string; progress: Progress }) {
  const waits = p.waits ? `, ${p.waits} waits (${p.waited_seconds} s)` : "";
  return (
    <>
      {status === "running" && p.phase && <p>{p.phase}</p>}
      {p.waiting && (
        <p>
          <strong>Waiting until {when(p.waiting.until)}</strong>: {p.waiting.reason}
        </p>
      )}
      <p>{`${p.pages} pages, ${p.requests} requests, ${p.items_written} items written${waits}`}</p>
    </>
  );
}

/** The latest sync runs: how far a running one is (pages, items, waits), and how finished ones ended. */
export function SyncHistory({ url, jobs }: SyncHistoryProps) {
  const running = jobs.some(({ job }) => job.status === "running");
  return (
    <Card
      title="Recent syncs"
      id="history"
      actions={running ? <a href={url("/admin/integrations#history")}>Refresh progress</a> : undefined}
    >
      <Table
        columns={[
          { label: "Job" },
          { label: "Status" },
          { label: "By" },
          { label: "Started" },
          { label: "Seconds", numeric: true },
          { label: "Progress" },
          { label: "Counts" },
          { label: "Error and log" },
        ]}
      >
        {jobs.map(({ job: j, progress }) => (
          <tr>
            <Cell>{JOB_LABELS[j.kind as JobKind] ?? j.kind}</Cell>
            <Cell>{statusBadge(j.status)}</Cell>
            <Cell>{j.triggeredBy ?? "—"}</Cell>
            <Cell>{when(j.startedAt)}</Cell>
            <Cell numeric>
              {j.startedAt && j.finishedAt
                ? Math.round((j.finishedAt.getTime() - j.startedAt.getTime()) / 100) / 10
                : "—"}
            </Cell>
            <Cell>
              <ProgressText status={j.status} progress={progress} />
            </Cell>
            <Cell>
              {Object.entries(j.counts)
                .filter(([k, n]) => n > 0 && !PROGRESS_COUNT.test(k))
                .map(([k, n]) => `${k.replace(/_/g, " ")}: ${n}`)
                .join(", ") || "—"}
            </Cell>
            <Cell>
              {j.error ?? ""}
              {j.output && (
                <details>
                  <summary>Log</summary>
                  <pre>{j.output}</pre>
                </details>
              )}
            </Cell>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
