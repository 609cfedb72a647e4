import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import { when } from "../../shared/format.ts";
import { MONTH_OPTIONS, MONTHS, previousMonth } from "../months.ts";
import type { RunJson } from "./json.ts";

interface FormState {
  values: Record<string, string>;
  errors: FieldErrors;
}

function ScheduleCard({ values, errors, nextRuns, updated }: FormState & { nextRuns: Date[]; updated: string | null }) {
  const page = usePage();
  return (
    <Card title="Schedule">
      <DescriptionList
        items={[
          { term: "Next runs", detail: nextRuns.length ? nextRuns.map((at) => when(at)).join(", ") : "not scheduled" },
          { term: "Last changed", detail: updated },
          {
            term: "Which month",
            detail:
              "The month before the run (UTC months, as bills count them); the run is recorded as by “scheduler”.",
          },
        ]}
      />
      <Form action={page.url("/billing/automation")} csrf={page.csrf} wide label="Acceptance schedule">
        <Field
          name="enabled"
          label="Accept the previous month's bills automatically"
          type="checkbox"
          value={values.enabled === "on"}
          error={errors.enabled}
        />
        <Field
          name="cron"
          label="When (cron)"
          required
          value={values.cron ?? ""}
          error={errors.cron}
          hint="minute hour day-of-month month day-of-week; 0 6 1 * * is 06:00 on the 1st."
        />
        <Field
          name="timezone"
          label="Time zone"
          value={values.timezone ?? ""}
          error={errors.timezone}
          placeholder="Europe/London"
          hint="Empty: the server's time zone."
        />
        <FormActions>
          <Button label="Save schedule" variant="primary" />
        </FormActions>
      </Form>
    </Card>
  );
}

function RunNowCard({ values, errors }: FormState) {
  const page = usePage();
  const last = previousMonth(new Date());
  return (
    <Card title="Run now">
      <Form action={page.url("/billing/automation/run")} csrf={page.csrf} inline label="Accept a month's bills now">
        <Field
          name="month"
          label="Month"
          type="select"
          value={values.run_month ?? String(last.month)}
          error={errors.month}
          options={MONTH_OPTIONS}
        />
        <Field
          name="year"
          label="Year"
          type="number"
          value={values.run_year ?? String(last.year)}
          error={errors.year}
          min="2000"
        />
        <Button label="Accept this month's bills" />
      </Form>
    </Card>
  );
}

function RunStatus({ run }: { run: RunJson }) {
  if (run.status === "succeeded") return <Badge variant="success">succeeded</Badge>;
  if (run.status === "failed") return <Badge variant="danger">{run.error ? `failed: ${run.error}` : "failed"}</Badge>;
  return <Badge variant="info">running</Badge>;
}

const RUN_COLUMNS = [
  { label: "Started" },
  { label: "Month" },
  { label: "By" },
  { label: "Status" },
  { label: "Accepted", numeric: true },
  { label: "Already accepted", numeric: true },
  { label: "Nothing to bill", numeric: true },
  { label: "Failed", numeric: true },
];

/** Scheduled acceptance: the schedule, "run now" and the recent runs. */
export function AutomationPage(props: FormState & { nextRuns: Date[]; runs: RunJson[]; updated: string | null }) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Scheduled acceptance"
        description={
          "Accept every bill of the previous month on a schedule. Bills already accepted are left as they are," +
          " and bills with nothing on them get no invoice."
        }
        actions={<Button href={page.url("/billing")} label="Billing" />}
      />
      <ScheduleCard values={props.values} errors={props.errors} nextRuns={props.nextRuns} updated={props.updated} />
      <RunNowCard values={props.values} errors={props.errors} />
      <Card title="Recent runs">
        {props.runs.length === 0 ? (
          <EmptyState title="No runs yet" />
        ) : (
          <Table columns={RUN_COLUMNS}>
            {props.runs.map((run) => (
              <tr>
                <Cell>{when(run.started_at)}</Cell>
                <Cell>{`${MONTHS[run.month - 1]} ${run.year}`}</Cell>
                <Cell>{run.triggered_by}</Cell>
                <Cell>
                  <RunStatus run={run} />
                </Cell>
                <Cell numeric>{run.accepted}</Cell>
                <Cell numeric>{run.skipped}</Cell>
                <Cell numeric>{run.empty}</Cell>
                <Cell numeric>{run.failed}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
