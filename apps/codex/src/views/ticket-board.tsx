import {
  Badge,
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Table,
  Toolbar,
  ToolbarGroup,
  type BadgeVariant,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { TICKET_PRIORITIES } from "../db/schema.ts";
import type { BoardTicket, SlaState, TicketBoard } from "../data/ticket-board.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { label, when } from "../shared/format.ts";

const SLA_BADGE: Record<SlaState, BadgeVariant> = {
  overdue: "danger",
  critical: "danger",
  warning: "warning",
  ok: "success",
  met: "success",
  none: "neutral",
};
const PRIORITY_BADGE: Record<BoardTicket["priority"], BadgeVariant> = {
  low: "neutral",
  medium: "info",
  high: "warning",
  urgent: "danger",
};

/** Rows a section shows on the page: a wall-board stays readable (and small) when thousands of tickets are active. */
export const SECTION_ROWS = 200;

export const BOARD_SECTIONS = [
  { key: "section1", title: "Open, update needed and pending", empty: "Nothing waiting for action." },
  { key: "section2", title: "Customer replied", empty: "No replies waiting." },
  { key: "section3", title: "Update overdue", empty: "Every ticket has a recent update." },
  { key: "section4", title: "Other active", empty: "No tickets on hold or waiting." },
] as const;

function BoardTable({ p, tickets }: { p: PageCtx; tickets: BoardTicket[] }) {
  return (
    <Table
      columns={[
        { label: "#" },
        { label: "Subject" },
        { label: "Company" },
        { label: "Requester" },
        { label: "Assignee" },
        { label: "Priority" },
        { label: "Status" },
        { label: "SLA" },
        { label: "Last update" },
      ]}
    >
      {tickets.map((t) => (
        <tr>
          <Cell>{t.ticket_number ?? t.id}</Cell>
          <Cell>
            <a href={p.url(`/tickets/${t.id}`)}>{t.subject}</a>
          </Cell>
          <Cell>
            <a href={p.url(`/companies/${encodeURIComponent(t.company)}`)}>{t.company_name}</a>
          </Cell>
          <Cell>{t.requester_name}</Cell>
          <Cell>{t.assignee_name}</Cell>
          <Cell>
            <Badge variant={PRIORITY_BADGE[t.priority]}>{t.priority}</Badge>
          </Cell>
          <Cell>{label(t.status)}</Cell>
          <Cell>
            <Badge variant={SLA_BADGE[t.sla.state]}>{t.sla.state === "none" ? "no SLA" : t.sla.state}</Badge>{" "}
            {t.sla.text}
          </Cell>
          <Cell>{when(t.last_update_at)}</Cell>
        </tr>
      ))}
    </Table>
  );
}

export function TicketBoardPage({
  p,
  board,
  query,
  groups,
  agents,
  notice,
}: {
  p: PageCtx;
  board: TicketBoard;
  query: { group?: string; assignee?: string; refresh?: "off" };
  groups: string[];
  agents: { id: number; name: string }[];
  notice?: string | null;
}) {
  const paused = query.refresh === "off";
  // The same board with refreshing switched on or off, keeping the filters.
  const toggle = new URLSearchParams(
    Object.entries({ group: query.group, assignee: query.assignee, refresh: paused ? undefined : "off" }).filter(
      (e): e is [string, string] => Boolean(e[1]),
    ),
  );
  return (
    <Shell
      p={p}
      title="Ticket board"
      section="board"
      refreshSeconds={paused ? undefined : 60}
      notice={notice ? { variant: "info", text: notice } : null}
    >
      <PageHeader
        title="Ticket board"
        description={`${board.total_active} active tickets. ${paused ? "Not refreshing" : "Refreshes every minute"}; last ticket sync ${board.last_sync_time ? when(board.last_sync_time) : "never"}.`}
        actions={
          <>
            <Button
              href={`${p.url("/tickets/board")}${toggle.size ? `?${toggle}` : ""}`}
              label={paused ? "Refresh every minute" : "Stop refreshing"}
            />
            <Button href={p.url("/tickets")} label="All tickets" />
            {p.level === "admin" && <Button href={p.url("/admin/ticket-board")} label="SLA thresholds" />}
          </>
        }
      />
      <Toolbar label="Filter the board" action={p.url("/tickets/board")}>
        {paused && <input type="hidden" name="refresh" value="off" />}
        <ToolbarGroup>
          <Field
            name="group"
            label="Group"
            type="select"
            value={query.group ?? ""}
            options={[{ value: "", label: "Every group" }, ...groups.map((g) => ({ value: g, label: g }))]}
          />
          <Field
            name="assignee"
            label="Assignee"
            type="select"
            value={query.assignee ?? ""}
            options={[
              { value: "", label: "Anyone" },
              { value: "me", label: "Me" },
              { value: "unassigned", label: "Unassigned" },
              ...agents.map((a) => ({ value: String(a.id), label: a.name })),
            ]}
          />
          <Button label="Filter" />
        </ToolbarGroup>
      </Toolbar>
      {BOARD_SECTIONS.map((s) => {
        const tickets = board[s.key];
        const total = board.section_totals[s.key];
        return (
          <Card title={`${s.title} (${total})`} id={s.key}>
            {tickets.length === 0 ? <EmptyState title={s.empty} /> : <BoardTable p={p} tickets={tickets} />}
            {total > tickets.length && (
              <p class="meta">{`Showing the ${tickets.length} most pressing of ${total}. Filter by group or assignee to see the others, or read them all from GET /api/tickets/active.`}</p>
            )}
          </Card>
        );
      })}
    </Shell>
  );
}

export const BOARD_SETTING_KEYS = ["update_overdue_minutes", "due_critical_minutes", "due_warning_minutes"] as const;
const SETTING_LABELS: Record<(typeof BOARD_SETTING_KEYS)[number], { title: string; hint: string }> = {
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

export function BoardSettingsPage({
  p,
  values,
  errors,
  saved,
  updated,
}: {
  p: PageCtx;
  values: Record<string, string>;
  errors: FieldErrors;
  saved: boolean;
  updated: { by: string; at: string } | null;
}) {
  return (
    <Shell
      p={p}
      title="Ticket board SLA"
      section="admin"
      notice={
        saved
          ? { variant: "success", text: "Thresholds saved." }
          : Object.keys(errors).length
            ? { variant: "error", text: "Check the fields marked below." }
            : null
      }
    >
      <PageHeader
        title="Ticket board SLA thresholds"
        description={
          updated
            ? `Last changed by ${updated.by}, ${when(updated.at)}.`
            : "The old system's defaults: update overdue after 30 minutes (urgent) to 4 days (low); critical under 4 hours, warning under 12."
        }
        actions={<Button href={p.url("/tickets/board")} label="Open the board" />}
      />
      <Card>
        <Form action={p.url("/admin/ticket-board")} csrf={p.csrf} wide label="Ticket board SLA thresholds">
          {BOARD_SETTING_KEYS.map((k) => (
            <fieldset class="form__fieldset">
              <legend class="form__legend">{SETTING_LABELS[k].title}</legend>
              <p class="meta">{SETTING_LABELS[k].hint}</p>
              {TICKET_PRIORITIES.map((prio) => (
                <Field
                  name={`${k}.${prio}`}
                  label={`${prio} (minutes)`}
                  type="number"
                  min="1"
                  value={values[`${k}.${prio}`] ?? ""}
                  error={errors[`${k}.${prio}`]}
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
    </Shell>
  );
}
