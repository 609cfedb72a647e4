import { usePage } from "@hivematrix/lib/page";
import {
  BarChart,
  Button,
  Card,
  Field,
  LineChart,
  PageHeader,
  Stat,
  StatGrid,
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import type { DashboardData } from "./json.ts";

export function DashboardPage({ data, title }: { data: DashboardData; title: string }) {
  const page = usePage();
  return (
    <>
      <PageHeader title={title} description="Counts, ticket flow and the device mix at a glance." />
      <Toolbar label="Search everything" action={page.url("/search")}>
        <ToolbarGroup grow>
          <Field name="q" label="Search companies, contacts, assets and tickets" type="search" />
        </ToolbarGroup>
        <ToolbarGroup>
          <Button label="Search" variant="primary" />
        </ToolbarGroup>
      </Toolbar>
      <StatGrid>
        {data.counts.map((figure) => (
          <Stat label={figure.label} value={figure.value.toLocaleString("en-US")} href={figure.href} />
        ))}
      </StatGrid>
      <Card title="Tickets">
        <LineChart
          title="Tickets opened and closed per week"
          unit="tickets"
          series={[
            { name: "Opened", points: data.weeks.map((week) => ({ x: week.week, y: week.opened })) },
            { name: "Closed", points: data.weeks.map((week) => ({ x: week.week, y: week.closed })) },
          ]}
        />
      </Card>
      <Card title="Assets">
        <BarChart title="Assets by type" unit="assets" data={data.assetTypes} emptyMessage="No assets yet." />
      </Card>
    </>
  );
}
