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
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import type { ticketJson } from "../data/tickets.ts";
import type { ticketDetail } from "../routes/api-tickets.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { canWriteData } from "../shared/levels.ts";
import { label, qs, when } from "../shared/format.ts";
import type { PsaLinks } from "../integrations/psa-links.ts";
import { PsaLink } from "../shared/psa-link.tsx";

type TicketJson = ReturnType<typeof ticketJson>;
type TicketDetail = Awaited<ReturnType<typeof ticketDetail>>;

const PRIORITY_BADGE = { low: "neutral", medium: "info", high: "warning", urgent: "danger" } as const;

export function TicketListPage({
  p,
  items,
  next,
  query,
  notice,
}: {
  p: PageCtx;
  items: TicketJson[];
  next: string | null;
  query: { q?: string; company?: string; status?: string[]; priority?: string; open?: boolean; cursor?: string };
  notice?: string | null;
}) {
  const base = {
    q: query.q,
    company: query.company,
    status: query.status?.join(","),
    priority: query.priority,
    open: query.open === undefined ? undefined : String(query.open),
  };
  return (
    <Shell p={p} title="Tickets" section="tickets" notice={notice ? { variant: "info", text: notice } : null}>
      <PageHeader
        title="Tickets"
        description="Support requests with their conversations."
        actions={canWriteData(p) && <Button href={p.url("/tickets/new")} label="New ticket" variant="primary" />}
      />
      <Toolbar label="Filter tickets" action={p.url("/tickets")}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search"
            type="search"
            value={query.q ?? ""}
            placeholder="Subject, description or number"
          />
        </ToolbarGroup>
        <ToolbarGroup>
          {p.level !== "client" && <Field name="company" label="Company" value={query.company ?? ""} />}
          <Field
            name="status"
            label="Status"
            type="select"
            value={query.status?.[0] ?? ""}
            options={[{ value: "", label: "Any" }, ...TICKET_STATUSES.map((s) => ({ value: s, label: label(s) }))]}
          />
          <Field
            name="priority"
            label="Priority"
            type="select"
            value={query.priority ?? ""}
            options={[{ value: "", label: "Any" }, ...TICKET_PRIORITIES.map((s) => ({ value: s, label: s }))]}
          />
          <Field
            name="open"
            label="Open or closed"
            type="select"
            value={query.open === undefined ? "" : String(query.open)}
            options={[
              { value: "", label: "Both" },
              { value: "true", label: "Open" },
              { value: "false", label: "Closed" },
            ]}
          />
          <Button label="Filter" />
        </ToolbarGroup>
      </Toolbar>
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No tickets found" />
        ) : (
          <Table
            columns={[
              { label: "#" },
              { label: "Subject" },
              { label: "Company" },
              { label: "Status" },
              { label: "Priority" },
              { label: "Assignee" },
              { label: "Updated" },
            ]}
          >
            {items.map((t) => (
              <tr>
                <Cell>{t.ticket_number ?? t.id}</Cell>
                <Cell>
                  <a href={p.url(`/tickets/${t.id}`)}>{t.subject}</a>
                </Cell>
                <Cell>{t.company}</Cell>
                <Cell>{label(t.status)}</Cell>
                <Cell>
                  <Badge variant={PRIORITY_BADGE[t.priority]}>{t.priority}</Badge>
                </Cell>
                <Cell>{t.assignee_name ?? "—"}</Cell>
                <Cell>{when(t.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={query.cursor ? p.url(`/tickets${qs(base)}`) : null}
          nextHref={next ? p.url(`/tickets${qs({ ...base, cursor: next })}`) : null}
          info={`${items.length} shown`}
        />
      </Card>
    </Shell>
  );
}

export function TicketDetailPage({
  p,
  ticket,
  agents,
  errors,
  values,
  notice,
  psa,
}: {
  p: PageCtx;
  ticket: TicketDetail;
  agents: { id: number; name: string }[];
  errors: FieldErrors;
  values: Record<string, string>;
  notice?: string | null;
  psa?: PsaLinks | null;
}) {
  const base = `/tickets/${ticket.id}`;
  const canReply = p.level === "admin" || p.level === "technician" || p.level === "client";
  const staff = canWriteData(p);
  return (
    <Shell
      p={p}
      title={ticket.subject}
      section="tickets"
      notice={
        notice
          ? { variant: "success", text: notice }
          : Object.keys(errors).length
            ? { variant: "error", text: "Check the form below." }
            : null
      }
    >
      <PageHeader
        title={ticket.subject}
        description={`Ticket ${ticket.ticket_number ?? ticket.id} · ${ticket.company}`}
        actions={
          <>
            {p.level !== "client" && <PsaLink psa={psa} kind="ticket" record={ticket} />}
            {p.prefix && (
              <Button href={`/brainhair/?ticket=${encodeURIComponent(String(ticket.id))}`} label="Ask Brainhair" />
            )}
          </>
        }
      />
      <Card title="Details">
        <DescriptionList
          items={[
            {
              term: "Company",
              detail: <a href={p.url(`/companies/${encodeURIComponent(ticket.company)}`)}>{ticket.company}</a>,
            },
            { term: "Status", detail: label(ticket.status) },
            { term: "Priority", detail: <Badge variant={PRIORITY_BADGE[ticket.priority]}>{ticket.priority}</Badge> },
            { term: "Requester", detail: [ticket.requester_name, ticket.requester_email].filter(Boolean).join(" ") },
            { term: "Assignee", detail: ticket.assignee_name },
            { term: "Opened", detail: when(ticket.created_at) },
            { term: "First response due", detail: when(ticket.first_response_due_at) },
            { term: "Due", detail: when(ticket.due_at) },
            { term: "Closed", detail: ticket.closed_at ? when(ticket.closed_at) : null },
            ...(staff || p.level === "billing" ? [{ term: "Time logged", detail: `${ticket.hours} h` }] : []),
          ]}
        />
        {ticket.description && <p>{ticket.description}</p>}
      </Card>
      <Card title="Conversation">
        {ticket.conversation.length === 0 ? (
          <EmptyState title="No replies yet" />
        ) : (
          <ol class="log">
            {ticket.conversation.map((e) => (
              <li class={e.kind === "note" ? "log-line log-line--warning" : "log-line log-line--info"}>
                <span class="log-line__time">{when(e.created_at)}</span>
                <span class="log-line__service">{e.author_name}</span>
                <span class="log-line__level">
                  {e.kind === "note" ? "private note" : e.incoming ? "from client" : "reply"}
                </span>
                <span class="log-line__message">{e.body}</span>
              </li>
            ))}
          </ol>
        )}
        {canReply && (
          <Form action={p.url(`${base}/reply`)} csrf={p.csrf} label="Reply">
            <Field
              name="body"
              label="Reply (visible to the client)"
              type="textarea"
              value={values.form === "reply" ? values.body : ""}
              error={values.form === "reply" ? errors.body : undefined}
              required
            />
            <input type="hidden" name="form" value="reply" />
            <FormActions>
              <Button label="Send reply" variant="primary" />
            </FormActions>
          </Form>
        )}
        {staff && (
          <Form action={p.url(`${base}/note`)} csrf={p.csrf} label="Private note">
            <Field
              name="body"
              label="Private note (staff only)"
              type="textarea"
              rows={2}
              value={values.form === "note" ? values.body : ""}
              error={values.form === "note" ? errors.body : undefined}
              required
            />
            <input type="hidden" name="form" value="note" />
            <FormActions>
              <Button label="Add note" />
            </FormActions>
          </Form>
        )}
      </Card>
      {staff && (
        <Card title="Update">
          <Form action={p.url(`${base}/update`)} csrf={p.csrf} inline label="Update status, priority and assignee">
            <Field
              name="status"
              label="Status"
              type="select"
              value={values.status ?? ticket.status}
              error={errors.status}
              options={TICKET_STATUSES.map((s) => ({ value: s, label: label(s) }))}
            />
            <Field
              name="priority"
              label="Priority"
              type="select"
              value={values.priority ?? ticket.priority}
              error={errors.priority}
              options={TICKET_PRIORITIES.map((s) => ({ value: s, label: s }))}
            />
            <Field
              name="assignee_id"
              label="Assignee"
              type="select"
              value={values.assignee_id ?? String(ticket.assignee_id ?? "")}
              error={errors.assignee_id}
              options={[{ value: "", label: "Nobody" }, ...agents.map((a) => ({ value: String(a.id), label: a.name }))]}
            />
            <Button label="Update" />
          </Form>
          <Form action={p.url(`${base}/time`)} csrf={p.csrf} inline label="Log time">
            <Field
              name="minutes"
              label="Minutes"
              type="number"
              min="1"
              value={values.minutes ?? ""}
              error={errors.minutes}
              required
            />
            <Field name="note" label="What was done" value={values.note ?? ""} error={errors.note} />
            <Button label="Log time" />
          </Form>
        </Card>
      )}
    </Shell>
  );
}

export function TicketNewPage({
  p,
  values,
  errors,
}: {
  p: PageCtx;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const f = (name: string, text: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={text} value={values[name] ?? ""} error={errors[name]} {...extra} />
  );
  return (
    <Shell
      p={p}
      title="New ticket"
      section="tickets"
      notice={Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null}
    >
      <PageHeader title="New ticket" />
      <Card>
        <Form action={p.url("/tickets")} csrf={p.csrf} wide label="New ticket">
          {f("company", "Company (account number)", { required: true })}
          {f("subject", "Subject", { required: true })}
          {f("priority", "Priority", {
            type: "select",
            options: TICKET_PRIORITIES.map((s) => ({ value: s, label: s })),
          })}
          {f("requester_email", "Requester email", { type: "email" })}
          {f("description", "Description", { type: "textarea", full: true })}
          <FormActions>
            <Button label="Create ticket" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </Shell>
  );
}
