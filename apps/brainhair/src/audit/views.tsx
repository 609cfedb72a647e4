import { usePage } from "@hivematrix/lib/page";
import { Badge, Card, Cell, EmptyState, PageHeader, Pagination, Table } from "@hivematrix/lib/ui";
import type { ToolCallJson } from "../chat/json.ts";

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "—");
const input = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
};

export function AuditPage({ calls, nextBefore }: { calls: ToolCallJson[]; nextBefore: string | null }) {
  const page = usePage();
  return (
    <>
      <PageHeader title="Audit" description="Every tool call the assistant made, for whom, and what became of it." />
      <Card>
        {calls.length === 0 ? (
          <EmptyState title="No tool calls yet" />
        ) : (
          <Table
            columns={[
              { label: "When" },
              { label: "Who" },
              { label: "Tool" },
              { label: "Input" },
              { label: "Decision" },
              { label: "Decided" },
              { label: "Result" },
            ]}
          >
            {calls.map((call) => (
              <tr>
                <Cell>{when(call.created_at)}</Cell>
                <Cell>{call.user}</Cell>
                <Cell>
                  {call.tool}
                  {call.operation && <code class="tool-call__detail">{call.operation}</code>}
                </Cell>
                <Cell>
                  <code>{input(call.input)}</code>
                </Cell>
                <Cell>
                  <Badge
                    variant={call.decision === "approved" || call.decision === "not_needed" ? "neutral" : "warning"}
                  >
                    {call.decision}
                  </Badge>
                </Cell>
                <Cell>{call.decided_by ? `${call.decided_by}, ${when(call.decided_at)}` : "—"}</Cell>
                <Cell>{call.result_status ?? call.result_note ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination nextHref={nextBefore ? page.url(`/audit?before=${encodeURIComponent(nextBefore)}`) : undefined} />
      </Card>
    </>
  );
}
