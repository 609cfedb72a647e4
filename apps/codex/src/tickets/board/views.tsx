import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  type BadgeVariant,
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  PageHeader,
  Table,
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import type { AgentChoice } from "../../agents/json.ts";
import { label, when } from "../../shared/format.ts";
import { PRIORITY_BADGE } from "../views.tsx";
import type { BoardPageQuery, BoardTicket, SlaState, TicketBoard } from "./json.ts";

const SLA_BADGE: Record<SlaState, BadgeVariant> = {
  overdue: "danger",
  critical: "danger",
  warning: "warning",
  ok: "success",
  met: "success",
  none: "neutral",
};

const SECTIONS = [
  { key: "section1", title: "Open, update needed and pending", empty: "Nothing waiting for action." },
  { key: "section2", title: "Customer replied", empty: "No replies waiting." },
  { key: "section3", title: "Update overdue", empty: "Every ticket has a recent update." },
  { key: "section4", title: "Other active", empty: "No tickets on hold or waiting." },
] as const;

function BoardTable({ tickets }: { tickets: BoardTicket[] }) {
  const page = usePage();
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
      {tickets.map((ticket) => (
        <tr>
          <Cell>{ticket.ticket_number ?? ticket.id}</Cell>
          <Cell>
            <a href={page.url(`/tickets/${ticket.id}`)}>{ticket.subject}</a>
          </Cell>
          <Cell>
            <a href={page.url(`/companies/${encodeURIComponent(ticket.company)}`)}>{ticket.company_name}</a>
          </Cell>
          <Cell>{ticket.requester_name}</Cell>
          <Cell>{ticket.assignee_name}</Cell>
          <Cell>
            <Badge variant={PRIORITY_BADGE[ticket.priority]}>{ticket.priority}</Badge>
          </Cell>
          <Cell>{label(ticket.status)}</Cell>
          <Cell>
            <Badge variant={SLA_BADGE[ticket.sla.state]}>
              {ticket.sla.state === "none" ? "no SLA" : ticket.sla.state}
            </Badge>{" "}
            {ticket.sla.text}
          </Cell>
          <Cell>{when(ticket.last_update_at)}</Cell>
        </tr>
      ))}
    </Table>
  );
}

function BoardFilters({ query, groups, agents }: { query: BoardPageQuery; groups: string[]; agents: AgentChoice[] }) {
  const page = usePage();
  return (
    <Toolbar label="Filter the board" action={page.url("/tickets/board")}>
      {query.refresh === "off" && <input type="hidden" name="refresh" value="off" />}
      <ToolbarGroup>
        <Field
          name="group"
          label="Group"
          type="select"
          value={query.group ?? ""}
          options={[{ value: "", label: "Every group" }, ...groups.map((group) => ({ value: group, label: group }))]}
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
            ...agents.map((agent) => ({ value: String(agent.id), label: agent.name })),
          ]}
        />
        <Button label="Filter" />
      </ToolbarGroup>
    </Toolbar>
  );
}

export function TicketBoardPage({
  board,
  query,
  groups,
  agents,
}: {
  board: TicketBoard;
  query: BoardPageQuery;
  groups: string[];
  agents: AgentChoice[];
}) {
  const page = usePage();
  const paused = query.refresh === "off";
  // The same board with refreshing switched on or off, keeping the filters.
  const toggle = new URLSearchParams(
    Object.entries({ group: query.group, assignee: query.assignee, refresh: paused ? undefined : "off" }).filter(
      (entry): entry is [string, string] => Boolean(entry[1]),
    ),
  );
  const refreshing = paused ? "Not refreshing" : "Refreshes every minute";
  const synced = board.last_sync_time ? when(board.last_sync_time) : "never";
  return (
    <>
      <PageHeader
        title="Ticket board"
        description={`${board.total_active} active tickets. ${refreshing}; last ticket sync ${synced}.`}
        actions={
          <>
            <Button
              href={`${page.url("/tickets/board")}${toggle.size ? `?${toggle}` : ""}`}
              label={paused ? "Refresh every minute" : "Stop refreshing"}
            />
            <Button href={page.url("/tickets")} label="All tickets" />
            {page.level === "admin" && <Button href={page.url("/admin/ticket-board")} label="SLA thresholds" />}
          </>
        }
      />
      <BoardFilters query={query} groups={groups} agents={agents} />
      {SECTIONS.map((section) => {
        const tickets = board[section.key];
        const total = board.section_totals[section.key];
        return (
          <Card title={`${section.title} (${total})`} id={section.key}>
            {tickets.length === 0 ? <EmptyState title={section.empty} /> : <BoardTable tickets={tickets} />}
            {total > tickets.length && (
              <p class="meta">
                {`Showing the ${tickets.length} most pressing of ${total}. Filter by group or assignee to see ` +
                  "the others, or read them all from GET /api/tickets/active."}
              </p>
            )}
          </Card>
        );
      })}
    </>
  );
}
