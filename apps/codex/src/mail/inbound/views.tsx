import { usePage } from "@hivematrix/lib/page";
import { Button, Card, DescriptionList, EmptyState, Field, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";
import type { InboundMessageRow } from "../../db/schema.ts";
import { when } from "../../shared/format.ts";

/** A failed assign comes back with the company typed and why it failed, under its message. */
export interface TriageFormState {
  id: number;
  company: string;
  error: string;
}

function TriageMessage({ message, failed }: { message: InboundMessageRow; failed: TriageFormState | null }) {
  const page = usePage();
  const from = message.fromName ? `${message.fromName} <${message.fromAddress ?? "?"}>` : (message.fromAddress ?? "—");
  return (
    <Card title={message.subject || "(no subject)"}>
      <DescriptionList
        items={[
          { term: "From", detail: from },
          { term: "Received", detail: when(message.receivedAt ?? message.createdAt) },
          { term: "Why it is here", detail: message.reason ?? "—" },
        ]}
      />
      <ol class="log">
        <li class="log-line log-line--info">
          <span class="log-line__message">{message.body || "(no text)"}</span>
        </li>
      </ol>
      {page.level === "admin" || page.level === "technician" ? (
        <>
          <Form action={page.url(`/mail/triage/${message.id}/assign`)} csrf={page.csrf} label="Assign to a company">
            <Field
              name="company"
              label="Company (account number)"
              value={failed?.company ?? ""}
              error={failed?.error}
              required
            />
            <FormActions>
              <Button label="Open a ticket" variant="primary" />
            </FormActions>
          </Form>
          <Form action={page.url(`/mail/triage/${message.id}/discard`)} csrf={page.csrf} inline label="Discard">
            <Button label="Discard" variant="danger" size="small" />
          </Form>
        </>
      ) : null}
    </Card>
  );
}

export function TriagePage({ messages, failed }: { messages: InboundMessageRow[]; failed: TriageFormState | null }) {
  return (
    <>
      <PageHeader
        title="Email triage"
        description="Emails Codex could not place: their sender is no company's contact and their domain no company's (or several). Open a ticket for the right company, or discard them."
      />
      {messages.length === 0 ? (
        <EmptyState title="Nothing waiting" message="Every email read so far found its ticket or company." />
      ) : (
        messages.map((message) => (
          <TriageMessage message={message} failed={failed?.id === message.id ? failed : null} />
        ))
      )}
    </>
  );
}
