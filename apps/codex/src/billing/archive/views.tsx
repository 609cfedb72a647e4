import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  type FieldErrors,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { label, money, qs, when } from "../../shared/format.ts";
import { isStaff } from "../../shared/levels.ts";
import type { BillView } from "../bills/json.ts";
import { AdjustmentsCard, BillLines } from "../bills/views-parts.tsx";
import { MONTHS } from "../months.ts";
import type { ArchiveRow } from "./json.ts";

export interface ArchiveFilters {
  company: string;
  invoice: string;
  from: string;
  to: string;
}

const ARCHIVE_COLUMNS = [
  { label: "Invoice" },
  { label: "Company" },
  { label: "Month" },
  { label: "Total", numeric: true },
  { label: "Accepted" },
  { label: "By" },
];

function SearchForm({ filters, errors }: { filters: ArchiveFilters; errors: FieldErrors }) {
  const page = usePage();
  return (
    <Toolbar label="Search accepted bills" action={page.url("/billing/invoices")}>
      <ToolbarGroup grow>
        {isStaff(page) && (
          <Field
            name="company"
            label="Company (account or name)"
            type="search"
            value={filters.company}
            error={errors.company}
          />
        )}
        <Field name="invoice" label="Invoice number" type="search" value={filters.invoice} error={errors.invoice} />
      </ToolbarGroup>
      <ToolbarGroup>
        <Field name="from" label="From (YYYY-MM)" value={filters.from} error={errors.from} placeholder="2026-01" />
        <Field name="to" label="To (YYYY-MM)" value={filters.to} error={errors.to} placeholder="2026-12" />
        <Button label="Search" variant="primary" />
      </ToolbarGroup>
    </Toolbar>
  );
}

export function ArchivePage({
  filters,
  rows,
  nextHref,
  firstHref,
  errors,
}: {
  filters: ArchiveFilters;
  rows: ArchiveRow[];
  nextHref: string | null;
  firstHref: string | null;
  errors: FieldErrors;
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Accepted bills"
        description="Every accepted bill, exactly as it was accepted. Newest month first."
        actions={isStaff(page) && <Button href={page.url("/billing")} label="Billing" />}
      />
      <SearchForm filters={filters} errors={errors} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No accepted bills match" />
        ) : (
          <Table columns={ARCHIVE_COLUMNS}>
            {rows.map((row) => (
              <tr>
                <Cell>
                  <a href={page.url(`/billing/invoices/${encodeURIComponent(row.invoice_number)}`)}>
                    {row.invoice_number}
                  </a>
                </Cell>
                <Cell>{`${row.company_name} (${row.account_number})`}</Cell>
                <Cell>{`${MONTHS[row.month - 1]} ${row.year}`}</Cell>
                <Cell numeric>{money(row.total_cents)}</Cell>
                <Cell>{when(row.accepted_at)}</Cell>
                <Cell>{row.accepted_by}</Cell>
              </tr>
            ))}
          </Table>
        )}
        {/* Keyset pages only go forward; the way back is to the first page. */}
        <Pagination
          nextHref={nextHref}
          info={firstHref ? <a href={firstHref}>Back to the first page</a> : `${rows.length} shown`}
        />
      </Card>
    </>
  );
}

/** One accepted bill, shown from its snapshot and nothing else. */
export function InvoicePage({ bill }: { bill: BillView }) {
  const page = usePage();
  const accepted = bill.accepted!;
  const invoice = encodeURIComponent(bill.invoice_number);
  const { counts } = bill;
  const period = qs({ year: bill.year, month: bill.month });
  const billPage = `/companies/${encodeURIComponent(bill.account_number)}/bill${period}`;
  return (
    <>
      <PageHeader
        title={`Invoice ${bill.invoice_number}`}
        description={`${bill.company_name}, ${MONTHS[bill.month - 1]} ${bill.year}`}
        actions={
          <>
            <Button href={page.url("/billing/invoices")} label="Accepted bills" />
            <Button href={page.url(`/api/invoices/${invoice}/csv`)} label="Download CSV" variant="primary" />
            <Button href={page.url(billPage)} label="Bill page" />
          </>
        }
      />
      <Card title="As accepted" actions={<Badge variant="success">accepted</Badge>}>
        <DescriptionList
          items={[
            { term: "Account", detail: bill.account_number },
            {
              term: "Plan",
              detail: bill.plan ? `${bill.plan.name}, ${label(bill.plan.term)}, ${bill.plan.support_level}` : "No plan",
            },
            { term: "Accepted", detail: `${when(accepted.accepted_at)} by ${accepted.accepted_by}` },
            { term: "Notes", detail: accepted.notes },
            { term: "Users", detail: String(counts.users) },
            {
              term: "Devices",
              detail:
                `${counts.workstations} workstations, ${counts.servers} servers, ${counts.vms} VMs, ` +
                `${counts.switches} switches, ${counts.firewalls} firewalls`,
            },
            {
              term: "Support time",
              detail: `${bill.tickets.minutes_logged} min logged, ${bill.tickets.billable_minutes} min billable`,
            },
          ]}
        />
        <BillLines bill={bill} />
      </Card>
      {isStaff(page) && bill.adjustments && <AdjustmentsCard adjustments={bill.adjustments} />}
    </>
  );
}
