import {
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Table,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { runJson } from "../billing/automation.ts";
import { MONTHS } from "./billing.tsx";
import { Shell, type PageCtx } from "./shell.tsx";
import { when } from "../shared/format.ts";

type Run = ReturnType<typeof runJson>;

export function AutomationPage({
  p,
  values,
  errors,
  nextRuns,
  runs,
  updated,
  notice,
}: {
  p: PageCtx;
  values: Record<string, string>;
  errors: FieldErrors;
  nextRuns: Date[];
  runs: Run[];
  updated: string | null;
  notice?: string | null;
}) {
  const now = new Date();
  const last =
    now.getUTCMonth() === 0
      ? { year: now.getUTCFullYear() - 1, month: 12 }
      : { year: now.getUTCFullYear(), month: now.getUTCMonth() };
  return (
    <Shell
      p={p}
      title="Scheduled acceptance"
      section="billing"
      notice={
        notice
          ? { variant: "success", text: notice }
          : Object.keys(errors).length
            ? { variant: "error", text: "Check the fields marked below." }
            : null
      }
    >
      <PageHeader
        title="Scheduled acceptance"
        description="Accept every bill of the previous month on a schedule. Bills already accepted are left as they are, and bills with nothing on them get no invoice."
        actions={<Button href={p.url("/billing")} label="Billing" />}
      />
      <Card title="Schedule">
        <DescriptionList
          items={[
            { term: "Next runs", detail: nextRuns.length ? nextRuns.map((d) => when(d)).join(", ") : "not scheduled" },
            { term: "Last changed", detail: updated },
            {
              term: "Which month",
              detail:
                "The month before the run (UTC months, as bills count them); the run is recorded as by “scheduler”.",
            },
          ]}
        />
        <Form action={p.url("/billing/automation")} csrf={p.csrf} wide label="Acceptance schedule">
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
      <Card title="Run now">
        <Form action={p.url("/billing/automation/run")} csrf={p.csrf} inline label="Accept a month's bills now">
          <Field
            name="month"
            label="Month"
            type="select"
            value={values.run_month ?? String(last.month)}
            error={errors.month}
            options={MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))}
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
      <Card title="Recent runs">
        {runs.length === 0 ? (
          <EmptyState title="No runs yet" />
        ) : (
          <Table
            columns={[
              { label: "Started" },
              { label: "Month" },
              { label: "By" },
              { label: "Status" },
              { label: "Accepted", numeric: true },
              { label: "Already accepted", numeric: true },
              { label: "Nothing to bill", numeric: true },
              { label: "Failed", numeric: true },
            ]}
          >
            {runs.map((r) => (
              <tr>
                <Cell>{when(r.started_at)}</Cell>
                <Cell>{`${MONTHS[r.month - 1]} ${r.year}`}</Cell>
                <Cell>{r.triggered_by}</Cell>
                <Cell>
                  {r.status === "succeeded" ? (
                    <Badge variant="success">succeeded</Badge>
                  ) : r.status === "failed" ? (
                    <Badge variant="danger">{r.error ? `failed: ${r.error}` : "failed"}</Badge>
                  ) : (
                    <Badge variant="info">running</Badge>
                  )}
                </Cell>
                <Cell numeric>{r.accepted}</Cell>
                <Cell numeric>{r.skipped}</Cell>
                <Cell numeric>{r.empty}</Cell>
                <Cell numeric>{r.failed}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Shell>
  );
}
