import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Field, type FieldErrors, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";
import { TICKET_PRIORITIES } from "../../db/schema.ts";
import { when } from "../../shared/format.ts";
import { BOARD_SETTING_KEYS, type BoardSettingKey } from "./json.ts";

const SETTING_LABELS: Record<BoardSettingKey, { title: string; hint: string }> = {
  update_overdue_minutes: {
    title: "Update overdue after",
    hint: "Minutes without a public reply from the MSP before a ticket moves to “Update overdue” (1440 = a day).",
  },
  due_critical_minutes: {
    title: "Critical when less than this is left",
    hint: "Minutes before a first-response or resolution due date.",
  },
  due_warning_minutes: { title: "Warning when less than this is left", hint: "At least the critical mark." },
};

const DEFAULTS_TEXT =
  "The old system's defaults: update overdue after 30 minutes (urgent) to 4 days (low); " +
  "critical under 4 hours, warning under 12.";

export function BoardSettingsPage({
  values,
  errors,
  updated,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  updated: { by: string; at: string } | null;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Ticket board SLA thresholds"
        description={updated ? `Last changed by ${updated.by}, ${when(updated.at)}.` : DEFAULTS_TEXT}
        actions={<Button href={page.url("/tickets/board")} label="Open the board" />}
      />
      <Card>
        <Form action={page.url("/admin/ticket-board")} csrf={page.csrf} wide label="Ticket board SLA thresholds">
          {BOARD_SETTING_KEYS.map((key) => (
            <fieldset class="form__fieldset">
              <legend class="form__legend">{SETTING_LABELS[key].title}</legend>
              <p class="meta">{SETTING_LABELS[key].hint}</p>
              {TICKET_PRIORITIES.map((priority) => (
                <Field
                  name={`${key}.${priority}`}
                  label={`${priority} (minutes)`}
                  type="number"
                  min="1"
                  value={values[`${key}.${priority}`] ?? ""}
                  error={errors[`${key}.${priority}`]}
                  required
                />
              ))}
            </fieldset>
          ))}
          <FormActions>
            <Button label="Save thresholds" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
