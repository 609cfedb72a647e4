import {
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { ArchiveRow } from "../billing/archive.ts";
import type { BillView } from "../billing/bills.ts";
import { AdjustmentsCard, BillLines, MONTHS } from "./billing.tsx";
import { Shell, type PageCtx } from "./shell.tsx";
import { isStaff } from "../shared/levels.ts";
import { label, money, qs, when } from "../shared/format.ts";

export interface ArchiveFilters {
  company: string;
  invoice: string;
  from: string;
  to: string;
}

export function ArchivePage({
  p,
  filters,
  rows,
  nextHref,
  firstHref,
  errors,
}: {
  p: PageCtx;
  filters: ArchiveFilters;
  rows: ArchiveRow[];
  nextHref: string | null;
  firstHref: string | null;
  errors: FieldErrors;
}) {
  return (
    <Shell
      p={p}
      title="Accepted bills"
      section="billing"
      notice={Object.keys(errors).length ? { variant: "error", text: "Check the search fields." } : null}
    >
      <PageHeader
        title="Accepted bills"
        description="Every accepted bill, exactly as it was accepted. Newest month first."
        actions={isStaff(p) && <Button href={p.url("/billing")} label="Billing" />}
      />
      <Toolbar label="Search accepted bills" action={p.url("/billing/invoices")}>
        <ToolbarGroup grow>
          {isStaff(p) && (
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
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No accepted bills match" />
        ) : (
          <Table
            columns={[
              { label: "Invoice" },
              { label: "Company" },
              { label: "Month" },
              { label: "Total", numeric: true },
              { label: "Accepted" },
              { label: "By" },
            ]}
          >
            {rows.map((x) => (
              <tr>
                <Cell>
                  <a href={p.url(`/billing/invoices/${encodeURIComponent(x.invoice_number)}`)}>{x.invoice_number}</a>
                </Cell>
                <Cell>{`${x.company_name} (${x.account_number})`}</Cell>
                <Cell>{`${MONTHS[x.month - 1]} ${x.year}`}</Cell>
                <Cell numeric>{money(x.total_cents)}</Cell>
                <Cell>{when(x.accepted_at)}</Cell>
                <Cell>{x.accepted_by}</Cell>
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
    </Shell>
  );
}

/** One accepted bill, shown from its snapshot and nothing else. */
export function InvoicePage({ p, bill }: { p: PageCtx; bill: BillView }) {
  const accepted = bill.accepted!;
  const invoice = encodeURIComponent(bill.invoice_number);
  return (
    <Shell p={p} title={`Invoice ${bill.invoice_number}`} section="billing">
      <PageHeader
        title={`Invoice ${bill.invoice_number}`}
        description={`${bill.company_name}, ${MONTHS[bill.month - 1]} ${bill.year}`}
        actions={
          <>
            <Button href={p.url("/billing/invoices")} label="Accepted bills" />
            <Button href={p.url(`/api/invoices/${invoice}/csv`)} label="Download CSV" variant="primary" />
            <Button
              href={p.url(
                `/companies/${encodeURIComponent(bill.account_number)}/bill${qs({ year: bill.year, month: bill.month })}`,
              )}
              label="Bill page"
            />
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
            { term: "Users", detail: String(bill.counts.users) },
            {
              term: "Devices",
              detail: `${bill.counts.workstations} workstations, ${bill.counts.servers} servers, ${bill.counts.vms} VMs, ${bill.counts.switches} switches, ${bill.counts.firewalls} firewalls`,
            },
            {
              term: "Support time",
              detail: `${bill.tickets.minutes_logged} min logged, ${bill.tickets.billable_minutes} min billable`,
            },
          ]}
        />
        <BillLines bill={bill} />
      </Card>
      {isStaff(p) && bill.adjustments && <AdjustmentsCard adjustments={bill.adjustments} />}
    </Shell>
  );
}
