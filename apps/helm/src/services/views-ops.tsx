import { usePage } from "@hivematrix/lib/page";
import { Alert, Button, Form, Stat } from "@hivematrix/lib/ui";
import type { BackupEvidence } from "../backups/evidence.ts";
import type { ProgressJson } from "../backups/json.ts";
import { progressText } from "../backups/views.tsx";
import { formatDuration } from "./format.ts";
import type { RestartAllState } from "./supervisor-client.ts";

/** A finished restart of every app is reported for this long, then the page is quiet again. */
const REPORT_FOR_MS = 10 * 60_000;

export function RestartAllButton({ disabled }: { disabled: boolean }) {
  const page = usePage();
  return (
    <Form action={page.url("/services/restart-all")} csrf={page.csrf} inline label="Restart all apps">
      <Button label="Restart all" variant="secondary" disabled={disabled} />
    </Form>
  );
}

/** How far the supervisor's restart of every app got. */
export function RestartAllAlert({ state, now = Date.now() }: { state: RestartAllState | null; now?: number }) {
  if (!state) return null;
  const order = state.order.join(" → ");
  if (state.status === "running")
    return (
      <Alert variant="info" title="Restarting every app">
        {order}: {state.done.length} of {state.order.length} done
        {state.current ? `, now ${state.current}` : ""}. This page reloads by itself; Helm and Nexus are away for a few
        seconds each.
      </Alert>
    );
  if (!state.finishedAt || now - Date.parse(state.finishedAt) > REPORT_FOR_MS) return null;
  const skipped = state.skipped.length ? ` ${state.skipped.join(", ")} were stopped and stay stopped.` : "";
  if (state.status === "failed")
    return (
      <Alert variant="error" title="Restart all stopped">
        {state.error} Restarted before it: {state.done.join(", ") || "none"}.{skipped}
      </Alert>
    );
  return (
    <Alert variant="success" title="Every app was restarted">
      {order}, each healthy again.{skipped}
    </Alert>
  );
}

/** The last successful backup at a glance, linking to the backups page. */
export function LastBackupStat({ backup, running }: { backup: BackupEvidence; running: ProgressJson | null }) {
  const page = usePage();
  const age = backup.lastSuccess ? Math.round((Date.now() - backup.lastSuccess.getTime()) / 1000) : null;
  const hint = running
    ? `A backup is under way: ${progressText(running)}`
    : backup.lastFailure
      ? `The last one failed: ${backup.lastFailure.message}`
      : backup.lastSuccess
        ? backup.lastSuccess.toISOString().replace("T", " ").slice(0, 19)
        : "No backup yet";
  return (
    <Stat
      label="Last backup"
      value={age === null ? "never" : `${formatDuration(age)} ago`}
      hint={hint}
      href={page.url("/backups")}
    />
  );
}
