import { Button, Card, Cell, Field, Form, FormActions, Table } from "@hivematrix/lib/ui";
import type { ScheduleView } from "../scheduler.ts";
import type { JobKind, SchedulerSettings } from "../settings.ts";
import { type FormState, when } from "./form-state.tsx";
import { JOB_LABELS } from "./job-labels.ts";

export interface ScheduleCardProps {
  url: (path: string) => string;
  csrf: string;
  scheduler: { settings: SchedulerSettings; view: ScheduleView[] };
  form: FormState;
}

/** The cron schedule of every sync with its next run, and buttons to run one now. */
export function ScheduleCard({ url, csrf, scheduler, form }: ScheduleCardProps) {
  return (
    <>
      <Card title="Sync schedule" id="schedule">
        <Form action={url("/admin/integrations/schedule")} csrf={csrf} label="Sync schedule">
          <Table
            columns={[
              { label: "Job" },
              { label: "Enabled" },
              { label: "Cron (min hour day month weekday)" },
              { label: "Next run" },
            ]}
          >
            {scheduler.view.map((s) => (
              <tr>
                <Cell>{JOB_LABELS[s.kind]}</Cell>
                <Cell>
                  <Field
                    name={`${s.kind}_enabled`}
                    type="checkbox"
                    label={`Run ${s.kind} on schedule`}
                    value={form.checked("schedule", `${s.kind}_enabled`, s.enabled)}
                  />
                </Cell>
                <Cell>
                  <Field
                    name={`${s.kind}_cron`}
                    label={`Cron for ${s.kind}`}
                    value={form.value("schedule", `${s.kind}_cron`, s.cron)}
                    error={form.error("schedule", `${s.kind}_cron`)}
                  />
                </Cell>
                <Cell>{s.enabled ? when(s.nextRun) : "off"}</Cell>
              </tr>
            ))}
          </Table>
          <Field
            name="run_on_start"
            type="checkbox"
            label="Also run the enabled jobs when Codex starts"
            value={form.checked("schedule", "run_on_start", scheduler.settings.runOnStart)}
          />
          <Field
            name="timezone"
            label="Time zone of the schedule"
            value={form.value("schedule", "timezone", scheduler.settings.timezone)}
            error={form.error("schedule", "timezone")}
            placeholder="server time, or e.g. America/Chicago"
          />
          <FormActions>
            <Button label="Save schedule" variant="primary" />
          </FormActions>
        </Form>
      </Card>

      <Card title="Run a sync now" id="run">
        {(Object.keys(JOB_LABELS) as JobKind[]).map((kind) => (
          <Form action={url(`/admin/integrations/run/${kind}`)} csrf={csrf} inline label={`Run ${JOB_LABELS[kind]}`}>
            <Button label={`Run: ${JOB_LABELS[kind]}`} size="small" />
          </Form>
        ))}
      </Card>
    </>
  );
}
