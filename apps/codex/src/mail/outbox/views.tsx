import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  type BadgeVariant,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Form,
  PageHeader,
  Table,
  Tabs,
} from "@hivematrix/lib/ui";
import type { InboundMessageRow, OutboxMessage } from "../../db/schema.ts";
import { label, when } from "../../shared/format.ts";
import type { MailOverview } from "./json.ts";

const STATUS_BADGE: Record<OutboxMessage["status"], BadgeVariant> = {
  pending: "info",
  sending: "info",
  sent: "success",
  failed: "danger",
};

/** The mail settings and the outbox's counts: a card on the admin page, the head of the mail page. */
export function MailSummary({ overview }: { overview: MailOverview }) {
  const { counts } = overview;
  const poll = overview.lastPoll;
  return (
    <DescriptionList
      label="Email"
      items={[
        { term: "Sending", detail: overview.sending ? `on (${overview.smtp})` : "off: SMTP_URL is not set" },
        { term: "Reading", detail: overview.reading ? `on (${overview.imap})` : "off: IMAP_URL is not set" },
        { term: "From", detail: overview.from ?? "—" },
        {
          term: "Outbox",
          detail: `${counts.pending + counts.sending} pending, ${counts.sent} sent, ${counts.failed} failed`,
        },
        ...(poll
          ? [
              {
                term: "Last poll",
                detail: `${when(poll.at)}: ${poll.error ? `failed: ${poll.error}` : `${poll.read} read`}`,
              },
            ]
          : []),
      ]}
    />
  );
}

function OutboxTable({ messages }: { messages: OutboxMessage[] }) {
  const page = usePage();
  if (messages.length === 0) return <EmptyState title="No emails here" />;
  return (
    <Table
      columns={[
        { label: "Queued" },
        { label: "Ticket" },
        { label: "To" },
        { label: "Subject" },
        { label: "Status" },
        { label: "Attempts", numeric: true },
        { label: "Last error" },
        { label: "" },
      ]}
    >
      {messages.map((message) => (
        <tr>
          <Cell>{when(message.createdAt)}</Cell>
          <Cell>
            {message.ticketId ? <a href={page.url(`/tickets/${message.ticketId}`)}>#{message.ticketId}</a> : "—"}
          </Cell>
          <Cell>{message.toAddress}</Cell>
          <Cell>{message.subject}</Cell>
          <Cell>
            <Badge variant={STATUS_BADGE[message.status]}>{message.status}</Badge>
            {message.status === "sent" ? ` ${when(message.sentAt)}` : ""}
            {message.status === "pending" && message.attempts > 0 ? ` next try ${when(message.nextAttemptAt)}` : ""}
          </Cell>
          <Cell numeric>{message.attempts}</Cell>
          <Cell>{message.lastError ?? "—"}</Cell>
          <Cell>
            {message.status === "failed" && (
              <Form action={page.url(`/admin/mail/outbox/${message.id}/retry`)} csrf={page.csrf} inline label="Retry">
                <Button label="Send again" size="small" />
              </Form>
            )}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

function InboundTable({ messages }: { messages: InboundMessageRow[] }) {
  const page = usePage();
  if (messages.length === 0) return <EmptyState title="No email read yet" />;
  return (
    <Table
      columns={[{ label: "Read" }, { label: "From" }, { label: "Subject" }, { label: "Became" }, { label: "Why" }]}
    >
      {messages.map((message) => (
        <tr>
          <Cell>{when(message.createdAt)}</Cell>
          <Cell>{message.fromAddress ?? "—"}</Cell>
          <Cell>{message.subject}</Cell>
          <Cell>
            {label(message.outcome)}
            {message.ticketId ? (
              <>
                {" "}
                <a href={page.url(`/tickets/${message.ticketId}`)}>#{message.ticketId}</a>
              </>
            ) : (
              ""
            )}
          </Cell>
          <Cell>{message.reason ?? "—"}</Cell>
        </tr>
      ))}
    </Table>
  );
}

export function MailAdminPage({
  overview,
  status,
  outbox,
  inbound,
}: {
  overview: MailOverview;
  status: OutboxMessage["status"] | null;
  outbox: OutboxMessage[];
  inbound: InboundMessageRow[];
}) {
  const page = usePage();
  const tab = (value: OutboxMessage["status"] | null, text: string) => ({
    href: page.url(value ? `/admin/mail?status=${value}` : "/admin/mail"),
    label: text,
    current: status === value,
  });
  return (
    <>
      <PageHeader
        title="Email"
        description="Ticket emails Codex sends (the outbox) and the messages it reads."
        actions={<Button href={page.url("/mail/triage")} label="Email triage" />}
      />
      <Card title="Settings">
        <MailSummary overview={overview} />
        <p class="meta">Set SMTP_URL, IMAP_URL and MAIL_FROM in Codex's environment (README, "Codex email").</p>
      </Card>
      <Card title="Outbox">
        <Tabs
          label="Outbox states"
          tabs={[tab(null, "All"), tab("pending", "Pending"), tab("sent", "Sent"), tab("failed", "Failed")]}
        />
        <OutboxTable messages={outbox} />
      </Card>
      <Card title="Messages read">
        <InboundTable messages={inbound} />
      </Card>
    </>
  );
}
