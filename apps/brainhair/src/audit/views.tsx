import { usePage } from "@hivematrix/lib/page";
import { Badge, Card, Cell, EmptyState, PageHeader, Pagination, Table } from "@hivematrix/lib/ui";
import type { ToolCallJson } from "../chat/json.ts";

const when = (iso: string | null) => (iso ? `${iso.replace("T", " ").slice(0, 19)} UTC` : "—");
const input = (v: unknown) => {
  const text = JSON.stringify(v);
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
            {calls.map((t) => (
              <tr>
                <Cell>{when(t.created_at)}</Cell>
                <Cell>{t.user}</Cell>
                <Cell>
                  {t.tool}
                  {t.operation && <code class="tool-call__detail">{t.operation}</code>}
                </Cell>
                <Cell>
                  <code>{input(t.input)}</code>
                </Cell>
                <Cell>
                  <Badge variant={t.decision === "approved" || t.decision === "not_needed" ? "neutral" : "warning"}>
                    {t.decision}
                  </Badge>
                </Cell>
                <Cell>{t.decided_by ? `${t.decided_by}, ${when(t.decided_at)}` : "—"}</Cell>
                <Cell>{t.result_status ?? t.result_note ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination nextHref={nextBefore ? page.url(`/audit?before=${encodeURIComponent(nextBefore)}`) : undefined} />
      </Card>
    </>
  );
}
