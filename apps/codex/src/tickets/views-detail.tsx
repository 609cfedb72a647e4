import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  Button,
  Card,
  DescriptionList,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
} from "@hivematrix/lib/ui";
import type { AgentChoice } from "../agents/json.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import type { PsaLinks } from "../integrations/psa-links.ts";
import { label, when } from "../shared/format.ts";
import { canWriteData } from "../shared/levels.ts";
import { PsaLink } from "../shared/psa-link.tsx";
import { FILES_FIELD } from "./attachments/forms.ts";
import { AttachmentList, FilesField } from "./attachments/views.tsx";
import { isClosedStatus, type TicketDetail } from "./json.ts";
import { PRIORITY_BADGE } from "./views.tsx";
import { WriteBackCard } from "./views-writeback.tsx";

interface FormState {
  errors: FieldErrors;
  values: Record<string, string>;
}

function Conversation({ ticket }: { ticket: TicketDetail }) {
  if (ticket.conversation.length === 0) return <EmptyState title="No replies yet" />;
  return (
    <ol class="log">
      {ticket.conversation.map((entry) => (
        <li class={entry.kind === "note" ? "log-line log-line--warning" : "log-line log-line--info"}>
          <span class="log-line__time">{when(entry.created_at)}</span>
          <span class="log-line__service">{entry.author_name}</span>
          <span class="log-line__level">
            {entry.kind === "note" ? "private note" : entry.incoming ? "from client" : "reply"}
          </span>
          <span class="log-line__message">{entry.body}</span>
          <AttachmentList files={ticket.attachments.filter((file) => file.entry_id === entry.id)} />
        </li>
      ))}
    </ol>
  );
}

/**
 * A reply (visible to the client, with files) or a private note; a failed one comes back with its
 * text and error.
 */
function EntryForm({
  ticket,
  kind,
  errors,
  values,
  maxBytes,
}: FormState & { ticket: TicketDetail; kind: "reply" | "note"; maxBytes: number }) {
  const page = usePage();
  const mine = values.form === kind;
  return (
    <Form
      action={page.url(`/tickets/${ticket.id}/${kind}`)}
      csrf={page.csrf}
      label={kind === "reply" ? "Reply" : "Private note"}
      enctype={kind === "reply" ? "multipart/form-data" : undefined}
    >
      <Field
        name="body"
        label={kind === "reply" ? "Reply (visible to the client)" : "Private note (staff only)"}
        type="textarea"
        rows={kind === "reply" ? undefined : 2}
        value={mine ? values.body : ""}
        error={mine ? errors.body : undefined}
        required
      />
      {kind === "reply" && <FilesField error={mine ? errors[FILES_FIELD] : undefined} maxBytes={maxBytes} />}
      <input type="hidden" name="form" value={kind} />
      <FormActions>
        <Button
          label={kind === "reply" ? "Send reply" : "Add note"}
          variant={kind === "reply" ? "primary" : undefined}
        />
      </FormActions>
    </Form>
  );
}

const TICKET_CHOICES = [
  {
    name: "status",
    label: "Status",
    options: TICKET_STATUSES.map((status) => ({ value: status, label: label(status) })),
  },
  {
    name: "priority",
    label: "Priority",
    options: TICKET_PRIORITIES.map((priority) => ({ value: priority, label: priority })),
  },
] as const;

function UpdateCard({ ticket, agents, errors, values }: FormState & { ticket: TicketDetail; agents: AgentChoice[] }) {
  const page = usePage();
  const base = `/tickets/${ticket.id}`;
  return (
    <Card title="Update">
      <Form action={page.url(`${base}/update`)} csrf={page.csrf} inline label="Update status, priority and assignee">
        {TICKET_CHOICES.map(({ name, label, options }) => (
          <Field
            name={name}
            label={label}
            type="select"
            value={values[name] ?? ticket[name]}
            error={errors[name]}
            options={options}
          />
        ))}
        <Field
          name="assignee_id"
          label="Assignee"
          type="select"
          value={values.assignee_id ?? String(ticket.assignee_id ?? "")}
          error={errors.assignee_id}
          options={[
            { value: "", label: "Nobody" },
            ...agents.map((agent) => ({ value: String(agent.id), label: agent.name })),
          ]}
        />
        <Button label="Update" />
      </Form>
      <Form action={page.url(`${base}/time`)} csrf={page.csrf} inline label="Log time">
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
  );
}

/** Closes the ticket: its opener (a client) or staff, while it is open. */
function CloseForm({ ticket }: { ticket: TicketDetail }) {
  const page = usePage();
  return (
    <Form action={page.url(`/tickets/${ticket.id}/close`)} csrf={page.csrf} inline label="Close ticket">
      <Button label="Close ticket" />
    </Form>
  );
}

export function TicketDetailPage({
  ticket,
  agents,
  errors,
  values,
  psa,
  canClose,
  maxBytes,
}: FormState & {
  ticket: TicketDetail;
  agents: AgentChoice[];
  psa: PsaLinks | null;
  canClose: boolean;
  maxBytes: number;
}) {
  const page = usePage();
  const canReply = page.level === "admin" || page.level === "technician" || page.level === "client";
  const staff = canWriteData(page);
  return (
    <>
      <PageHeader
        title={ticket.subject}
        description={`Ticket ${ticket.ticket_number ?? ticket.id} · ${ticket.company}`}
        actions={
          <>
            {page.level !== "client" && <PsaLink psa={psa} kind="ticket" record={ticket} />}
            {page.prefix && (
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
              detail: <a href={page.url(`/companies/${encodeURIComponent(ticket.company)}`)}>{ticket.company}</a>,
            },
            { term: "Status", detail: label(ticket.status) },
            { term: "Priority", detail: <Badge variant={PRIORITY_BADGE[ticket.priority]}>{ticket.priority}</Badge> },
            { term: "Requester", detail: [ticket.requester_name, ticket.requester_email].filter(Boolean).join(" ") },
            {
              term: "Opened by",
              detail: ticket.opened_by_name
                ? [ticket.opened_by_name, ticket.opened_by_email].filter(Boolean).join(" ")
                : null,
            },
            { term: "Assignee", detail: ticket.assignee_name },
            { term: "Opened", detail: when(ticket.created_at) },
            { term: "First response due", detail: when(ticket.first_response_due_at) },
            { term: "Due", detail: when(ticket.due_at) },
            { term: "Closed", detail: ticket.closed_at ? when(ticket.closed_at) : null },
            ...(staff || page.level === "billing" ? [{ term: "Time logged", detail: `${ticket.hours} h` }] : []),
          ]}
        />
        {ticket.description && <p>{ticket.description}</p>}
        <AttachmentList files={ticket.attachments.filter((file) => file.entry_id === null)} />
        {errors.close && <p role="alert">{errors.close}</p>}
        {canClose && page.level === "client" && !isClosedStatus(ticket.status) && <CloseForm ticket={ticket} />}
      </Card>
      {ticket.freshservice_writeback && <WriteBackCard ticketId={ticket.id} state={ticket.freshservice_writeback} />}
      <Card title="Conversation">
        <Conversation ticket={ticket} />
        {canReply && <EntryForm ticket={ticket} kind="reply" errors={errors} values={values} maxBytes={maxBytes} />}
        {staff && <EntryForm ticket={ticket} kind="note" errors={errors} values={values} maxBytes={maxBytes} />}
      </Card>
      {staff && <UpdateCard ticket={ticket} agents={agents} errors={errors} values={values} />}
    </>
  );
}
