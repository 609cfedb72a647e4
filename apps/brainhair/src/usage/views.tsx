import { Card, Cell, EmptyState, PageHeader, Table } from "@hivematrix/lib/ui";
import type { MonthUsage } from "./json.ts";

export function UsagePage({ rows, everyone }: { rows: MonthUsage[]; everyone: boolean }) {
  return (
    <>
      <PageHeader
        title="Usage"
        description={
          everyone
            ? "Tokens the model used, per person per month (last 12 months)."
            : "Tokens the model used in your chats, per month (last 12 months)."
        }
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No usage yet" />
        ) : (
          <Table
            columns={[
              { label: "Month" },
              ...(everyone ? [{ label: "Person" }] : []),
              { label: "Answers", numeric: true },
              { label: "Input", numeric: true },
              { label: "Output", numeric: true },
              { label: "Cache read", numeric: true },
              { label: "Cache write", numeric: true },
            ]}
          >
            {rows.map((r) => (
              <tr>
                <Cell>{r.month}</Cell>
                {everyone && <Cell>{r.user}</Cell>}
                <Cell numeric>{r.messages}</Cell>
                <Cell numeric>{r.input}</Cell>
                <Cell numeric>{r.output}</Cell>
                <Cell numeric>{r.cacheRead}</Cell>
                <Cell numeric>{r.cacheWrite}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
