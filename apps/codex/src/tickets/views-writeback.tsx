import { usePage } from "@hivematrix/lib/page";
import { Alert, Button, Card, Form } from "@hivematrix/lib/ui";
import type { WriteBackState } from "../integrations/writeback/json.ts";
import { when } from "../shared/format.ts";
import { canWriteData } from "../shared/levels.ts";

const WHAT: Record<WriteBackState["failed"][number]["kind"], string> = {
  reply: "Reply",
  note: "Private note",
  update: "Status, priority or assignee change",
};

/**
 * On a ticket from Freshservice: what has not reached Freshservice yet, and each change it
 * refused with the reason and, for those who may change tickets, a button to send it again.
 */
export function WriteBackCard({ ticketId, state }: { ticketId: number; state: WriteBackState }) {
  const page = usePage();
  if (state.waiting === 0 && state.failed.length === 0) return null;
  return (
    <Card title="Freshservice">
      {state.waiting > 0 && (
        <Alert variant="info">
          {state.waiting === 1 ? "1 change is" : `${state.waiting} changes are`} on the way to Freshservice.
        </Alert>
      )}
      {state.failed.map((failure) => (
        <Alert variant="error" title={`${WHAT[failure.kind]} (${when(failure.failed_at)})`}>
          <p>{failure.message}</p>
          {canWriteData(page) && (
            <Form
              action={page.url(`/tickets/${ticketId}/freshservice-writeback/${failure.id}/retry`)}
              csrf={page.csrf}
              inline
              label={`Send ${WHAT[failure.kind].toLowerCase()} to Freshservice again`}
            >
              <Button label="Retry" />
            </Form>
          )}
        </Alert>
      ))}
    </Card>
  );
}
