import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  type BadgeVariant,
  Button,
  Card,
  Cell,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import { label, qs, when } from "../shared/format.ts";
import { FormFields } from "../shared/form-fields.tsx";
import { canWriteData } from "../shared/levels.ts";
import { CompanyFilter, ListPage } from "../shared/list-page.tsx";
import { FILES_FIELD } from "./attachments/forms.ts";
import { FilesField } from "./attachments/views.tsx";
import { TICKET_CLIENT_FORM, TICKET_FORM, type TicketJson } from "./json.ts";

export const PRIORITY_BADGE: Record<TicketJson["priority"], BadgeVariant> = {
  low: "neutral",
  medium: "info",
  high: "warning",
  urgent: "danger",
};

/** The list's filters as the page was asked for them. */
interface TicketFilters {
  q?: string;
  company?: string;
  status?: string[];
  priority?: string;
  open?: boolean;
  cursor?: string;
}

const any = (values: readonly string[], show: (value: string) => string = label) => [
  { value: "", label: "Any" },
  ...values.map((value) => ({ value, label: show(value) })),
];

function TicketFilterFields({ query }: { query: TicketFilters }) {
  return (
    <ToolbarGroup>
      <CompanyFilter value={query.company} label="Company" />
      <Field
        name="status"
        label="Status"
        type="select"
        value={query.status?.[0] ?? ""}
        options={any(TICKET_STATUSES)}
      />
      <Field
        name="priority"
        label="Priority"
        type="select"
        value={query.priority ?? ""}
        options={any(TICKET_PRIORITIES, (priority) => priority)}
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
  );
}

export function TicketListPage({
  items,
  next,
  query,
}: {
  items: TicketJson[];
  next: string | null;
  query: TicketFilters;
}) {
  const page = usePage();
  const base = {
    q: query.q,
    company: query.company,
    status: query.status?.join(","),
    priority: query.priority,
    open: query.open === undefined ? undefined : String(query.open),
  };
  return (
    <ListPage
      title="Tickets"
      description="Support requests with their conversations."
      actions={
        (canWriteData(page) || page.level === "client") && (
          <Button href={page.url("/tickets/new")} label="New ticket" variant="primary" />
        )
      }
      filters={{
        label: "Filter tickets",
        action: page.url("/tickets"),
        search: { value: query.q, placeholder: "Subject, description or number" },
        children: <TicketFilterFields query={query} />,
      }}
      columns={[
        { label: "#" },
        { label: "Subject" },
        { label: "Company" },
        { label: "Status" },
        { label: "Priority" },
        { label: "Assignee" },
        { label: "Updated" },
      ]}
      rows={items.map((ticket) => (
        <tr>
          <Cell>{ticket.ticket_number ?? ticket.id}</Cell>
          <Cell>
            <a href={page.url(`/tickets/${ticket.id}`)}>{ticket.subject}</a>
          </Cell>
          <Cell>{ticket.company}</Cell>
          <Cell>{label(ticket.status)}</Cell>
          <Cell>
            <Badge variant={PRIORITY_BADGE[ticket.priority]}>{ticket.priority}</Badge>
          </Cell>
          <Cell>{ticket.assignee_name ?? "—"}</Cell>
          <Cell>{when(ticket.updated_at)}</Cell>
        </tr>
      ))}
      empty={{ title: "No tickets found" }}
      prevHref={query.cursor ? page.url(`/tickets${qs(base)}`) : null}
      nextHref={next ? page.url(`/tickets${qs({ ...base, cursor: next })}`) : null}
    />
  );
}

/** The new-ticket form: staff choose the company and requester; a client opens one for its own company. */
export function TicketNewPage({
  values,
  errors,
  client,
  maxBytes,
}: {
  values: Record<string, string>;
  errors: FieldErrors;
  client: boolean;
  maxBytes: number;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="New ticket"
        description={client ? "Tell us what is wrong; we will answer on the ticket." : undefined}
      />
      <Card>
        <Form action={page.url("/tickets")} csrf={page.csrf} wide label="New ticket" enctype="multipart/form-data">
          <FormFields
            fields={client ? TICKET_CLIENT_FORM : TICKET_FORM}
            values={values}
            errors={errors}
            extra={{ company: { required: true }, subject: { required: true } }}
          />
          {errors.company && client && <p role="alert">{errors.company}</p>}
          <FilesField error={errors[FILES_FIELD]} maxBytes={maxBytes} />
          <FormActions>
            <Button label="Create ticket" variant="primary" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
