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
            {rows.map((row) => (
              <tr>
                <Cell>{row.month}</Cell>
                {everyone && <Cell>{row.user}</Cell>}
                <Cell numeric>{row.messages}</Cell>
                <Cell numeric>{row.input}</Cell>
                <Cell numeric>{row.output}</Cell>
                <Cell numeric>{row.cacheRead}</Cell>
                <Cell numeric>{row.cacheWrite}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
