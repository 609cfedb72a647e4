import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  BarChart,
  Button,
  Card,
  Cell,
  EmptyState,
  Form,
  PageHeader,
  Stat,
  StatGrid,
  Table,
} from "@hivematrix/lib/ui";
import { label, money, qs } from "../../shared/format.ts";
import { canBill } from "../../shared/levels.ts";
import { MONTHS } from "../months.ts";
import { type BillingDashboard, type BillView, EXPIRING_WITHIN_DAYS } from "./json.ts";
import { PeriodPicker } from "./views-parts.tsx";

interface MonthProps {
  year: number;
  month: number;
  bills: BillView[];
  dashboard: BillingDashboard;
}

const monthNameOf = ({ year, month }: { year: number; month: number }) => `${MONTHS[month - 1]} ${year}`;

function Figures({ dashboard, monthName }: { dashboard: BillingDashboard; monthName: string }) {
  const page = usePage();
  return (
    <StatGrid>
      <Stat
        label="Total clients"
        value={dashboard.total_clients.toLocaleString("en-US")}
        href={page.url("/companies")}
      />
      <Stat
        label={`Revenue, ${monthName}`}
        value={money(dashboard.revenue_cents)}
        hint={`${money(dashboard.accepted_cents)} accepted`}
      />
      <Stat label="Active contracts" value={dashboard.active_contracts.toLocaleString("en-US")} />
      <Stat
        label={`Expiring within ${EXPIRING_WITHIN_DAYS} days`}
        value={dashboard.expiring.length.toLocaleString("en-US")}
      />
    </StatGrid>
  );
}

function ExpiringContracts({ expiring }: { expiring: BillingDashboard["expiring"] }) {
  const page = usePage();
  return (
    <Card title={`Contracts expiring within ${EXPIRING_WITHIN_DAYS} days`}>
      {expiring.length === 0 ? (
        <EmptyState title="No contract ends in the next 60 days" />
      ) : (
        <Table
          columns={[
            { label: "Account" },
            { label: "Company" },
            { label: "Plan" },
            { label: "Contract end" },
            { label: "Days left", numeric: true },
          ]}
        >
          {expiring.map((contract) => (
            <tr>
              <Cell>{contract.account_number}</Cell>
              <Cell>
                <a href={page.url(`/companies/${encodeURIComponent(contract.account_number)}`)}>{contract.name}</a>
              </Cell>
              <Cell>{contract.plan ?? "—"}</Cell>
              <Cell>{contract.contract_end}</Cell>
              <Cell numeric>{contract.days_left}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

const BILL_COLUMNS = [
  { label: "Account" },
  { label: "Company" },
  { label: "Plan" },
  { label: "Users", numeric: true },
  { label: "Workstations", numeric: true },
  { label: "Servers", numeric: true },
  { label: "VMs", numeric: true },
  { label: "Total", numeric: true },
  { label: "Status" },
];

function MonthBills({ year, month, bills }: Omit<MonthProps, "dashboard">) {
  const page = usePage();
  const period = qs({ year, month });
  const monthName = monthNameOf({ year, month });
  // Bills with nothing to charge are left out of acceptance, as acceptMonth does.
  const drafts = bills.filter((bill) => !bill.accepted && bill.lines.some((line) => line.amount_cents !== 0)).length;
  return (
    <Card
      title={`Bills for ${monthName}`}
      actions={
        <>
          <Button href={page.url(`/api/billing/export.csv${period}`)} label="Export CSV" size="small" />
          <Button href={page.url(`/api/billing/invoices.zip${period}`)} label="Invoices (ZIP)" size="small" />
          <Button href={page.url(`/api/billing/quickbooks.csv${period}`)} label="QuickBooks CSV" size="small" />
        </>
      }
    >
      {canBill(page) && drafts > 0 && (
        <Form
          action={page.url("/billing/accept-month")}
          csrf={page.csrf}
          inline
          label={`Accept every draft bill of ${monthName}`}
        >
          <input type="hidden" name="year" value={String(year)} />
          <input type="hidden" name="month" value={String(month)} />
          <Button
            label={drafts === 1 ? "Accept the 1 draft bill" : `Accept all ${drafts} draft bills`}
            variant="primary"
          />
        </Form>
      )}
      {bills.length === 0 ? (
        <EmptyState title="No companies to bill" />
      ) : (
        <Table columns={BILL_COLUMNS}>
          {bills.map((bill) => (
            <tr>
              <Cell>{bill.account_number}</Cell>
              <Cell>
                <a href={page.url(`/companies/${encodeURIComponent(bill.account_number)}/bill${period}`)}>
                  {bill.company_name}
                </a>
              </Cell>
              <Cell>{bill.plan ? `${bill.plan.name} (${label(bill.plan.term)})` : "—"}</Cell>
              <Cell numeric>{bill.counts.users}</Cell>
              <Cell numeric>{bill.counts.workstations}</Cell>
              <Cell numeric>{bill.counts.servers}</Cell>
              <Cell numeric>{bill.counts.vms}</Cell>
              <Cell numeric>{money(bill.totals.total_cents)}</Cell>
              <Cell>{bill.accepted ? <Badge variant="success">accepted</Badge> : <Badge>draft</Badge>}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

/** The billing dashboard: a month's figures, contracts ending soon, and every company's bill. */
export function BillingDashboardPage({ year, month, bills, dashboard }: MonthProps) {
  const page = usePage();
  const monthName = monthNameOf({ year, month });
  return (
    <>
      <PageHeader
        title="Billing"
        description={`${monthName}: ${bills.length} companies, ${money(dashboard.revenue_cents)} in total.`}
        actions={
          <>
            <Button href={page.url("/billing/invoices")} label="Accepted bills" />
            <Button href={page.url("/billing/plans")} label="Billing plans" />
            {page.level === "admin" && <Button href={page.url("/billing/automation")} label="Scheduled acceptance" />}
          </>
        }
      />
      <PeriodPicker action="/billing" year={year} month={month} />
      <Figures dashboard={dashboard} monthName={monthName} />
      <Card title="Revenue by plan">
        <BarChart
          title={`Revenue by plan, ${monthName}`}
          unit="$"
          data={dashboard.revenue_by_plan.map((entry) => ({ label: entry.plan, value: entry.revenue_cents / 100 }))}
          emptyMessage="No bills this month."
        />
      </Card>
      <ExpiringContracts expiring={dashboard.expiring} />
      <MonthBills year={year} month={month} bills={bills} />
    </>
  );
}
