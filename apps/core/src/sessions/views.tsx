import { usePage } from "@hivematrix/lib/page";
import { Alert, Badge, Button, Card, Cell, EmptyState, Form, PageHeader, Table } from "@hivematrix/lib/ui";
import type { SessionRow } from "../db/schema.ts";

function ago(date: Date | null, now: Date): string {
  if (!date) return "never";
  const s = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

const LEVEL_BADGE = { admin: "danger", technician: "info", billing: "warning", client: "neutral" } as const;

export interface SessionsPageProps {
  sessions: SessionRow[];
  currentSessionId: string;
  warning?: string;
  now?: Date;
}

export function SessionsPage({ sessions, currentSessionId, warning, now = new Date() }: SessionsPageProps) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Active sessions"
        description="Everyone signed in to HiveMatrix now, and every API token. Revoking a session signs it out within seconds; for a browser it also ends the sign-in at the identity provider, so the next visit asks for the password."
      />
      {warning && <Alert variant="warning">{warning}</Alert>}
      <Card title={`${sessions.length} active`}>
        {sessions.length === 0 ? (
          <EmptyState title="No active sessions" />
        ) : (
          <Table
            columns={[
              { label: "User" },
              { label: "Level" },
              { label: "IP address" },
              { label: "Browser or client" },
              { label: "Signed in" },
              { label: "Last seen" },
              { label: "Expires" },
              { label: "" },
            ]}
          >
            {sessions.map((s) => (
              <tr>
                <Cell>
                  {s.name} ({s.username})
                  {s.source === "cli" && (
                    <>
                      {" "}
                      <Badge>API token</Badge>
                    </>
                  )}
                  {s.id === currentSessionId && (
                    <>
                      {" "}
                      <Badge variant="success">you</Badge>
                    </>
                  )}
                </Cell>
                <Cell>
                  <Badge variant={LEVEL_BADGE[s.permissionLevel]}>{s.permissionLevel}</Badge>
                </Cell>
                <Cell>{s.ip ?? "—"}</Cell>
                <Cell>{s.userAgent ?? "—"}</Cell>
                <Cell>
                  <time datetime={s.createdAt.toISOString()}>{ago(s.createdAt, now)}</time>
                </Cell>
                <Cell>
                  <time datetime={s.lastSeenAt?.toISOString()}>{ago(s.lastSeenAt, now)}</time>
                </Cell>
                <Cell>
                  <time datetime={s.expiresAt.toISOString()}>
                    {s.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                  </time>
                </Cell>
                <Cell>
                  <Form
                    action={page.url(`/sessions/${encodeURIComponent(s.id)}/revoke`)}
                    csrf={page.csrf}
                    inline
                    label={`Revoke ${s.username}'s session`}
                  >
                    <Button label="Revoke" variant="danger" />
                  </Form>
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
