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
  Form,
  FormActions,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import { LINE_ITEM_KINDS } from "../../db/schema.ts";
import { label, money, qs, when } from "../../shared/format.ts";
import { canBill, isStaff } from "../../shared/levels.ts";
import { TB } from "../engine/types.ts";
import { MONTH_OPTIONS, MONTHS } from "../months.ts";
import type { LineItemJson } from "../overrides/json.ts";
import type { BillView } from "./json.ts";
import { AdjustmentsCard, BillLines, chargeWhen, PeriodPicker } from "./views-parts.tsx";

interface FormState {
  errors: FieldErrors;
  values: Record<string, string>;
}

function billFacts(bill: BillView) {
  const { tickets, backup, accepted } = bill;
  return [
    {
      term: "Plan",
      detail: bill.plan
        ? `${bill.plan.name}, ${label(bill.plan.term)}, ${bill.plan.support_level}`
        : "No plan: only line items are billed",
    },
    {
      term: "Support time",
      detail:
        `${tickets.minutes_logged} min logged, ${tickets.prepaid_monthly_minutes} min prepaid, ` +
        `${tickets.billable_minutes} min billable`,
    },
    {
      term: "Backup",
      detail:
        `${(backup.total_bytes / TB).toFixed(2)} TB stored, ` +
        `${(backup.included_bytes / TB).toFixed(2)} TB included`,
    },
    ...(accepted
      ? [
          {
            term: "Accepted",
            detail:
              `${when(accepted.accepted_at)} by ${accepted.accepted_by}` +
              (accepted.notes ? `: ${accepted.notes}` : ""),
          },
        ]
      : []),
  ];
}

function TheBill({ bill, errors, values }: { bill: BillView } & FormState) {
  const page = usePage();
  const acct = encodeURIComponent(bill.account_number);
  return (
    <Card
      title={bill.accepted ? "Accepted bill" : "Draft bill"}
      actions={
        bill.accepted ? (
          <Badge variant="success">accepted</Badge>
        ) : (
          <Badge>draft: figures change with the data until accepted</Badge>
        )
      }
    >
      <DescriptionList items={billFacts(bill)} />
      <BillLines bill={bill} />
      {!bill.accepted && canBill(page) && (
        <Form action={page.url(`/companies/${acct}/bill/accept`)} csrf={page.csrf} inline label="Accept this bill">
          <input type="hidden" name="year" value={String(bill.year)} />
          <input type="hidden" name="month" value={String(bill.month)} />
          <Field
            name="notes"
            label="Notes"
            value={values.notes ?? ""}
            error={errors.month ?? errors.year ?? errors.notes ?? errors.form}
          />
          <Button label={`Accept as ${bill.invoice_number}`} variant="primary" />
        </Form>
      )}
    </Card>
  );
}

function ChargeForm({ action, errors, values }: { action: string } & FormState) {
  const page = usePage();
  return (
    <Form action={page.url(action)} csrf={page.csrf} wide label="Add a charge">
      <Field name="name" label="Name" required value={values.name ?? ""} error={errors.name} />
      <Field
        name="kind"
        label="Billed"
        type="select"
        value={values.kind ?? "monthly"}
        error={errors.kind}
        options={LINE_ITEM_KINDS.map((kind) => ({ value: kind, label: kind === "one_off" ? "once" : kind }))}
      />
      <Field
        name="amount"
        label="Amount ($)"
        value={values.amount ?? ""}
        error={errors.amount ?? errors.amount_cents}
        required
        placeholder="25.00"
      />
      <Field name="year" label="Year (once)" type="number" value={values.year ?? ""} error={errors.year} />
      <Field
        name="month"
        label="Month (once or yearly)"
        type="select"
        value={values.month ?? ""}
        error={errors.month}
        options={[{ value: "", label: "—" }, ...MONTH_OPTIONS]}
      />
      <FormActions>
        <Button label="Add charge" />
      </FormActions>
    </Form>
  );
}

function ExtraCharges({ bill, items, ...form }: { bill: BillView; items: LineItemJson[] } & FormState) {
  const page = usePage();
  const acct = encodeURIComponent(bill.account_number);
  const period = qs({ year: bill.year, month: bill.month });
  return (
    <Card title="Extra charges">
      {items.length === 0 ? (
        <EmptyState title="No extra charges" />
      ) : (
        <Table
          columns={[
            { label: "Name" },
            { label: "When" },
            { label: "Amount", numeric: true },
            ...(canBill(page) ? [{ label: "" }] : []),
          ]}
        >
          {items.map((item) => (
            <tr>
              <Cell>{item.name}</Cell>
              <Cell>{chargeWhen(item)}</Cell>
              <Cell numeric>{money(item.amount_cents)}</Cell>
              {canBill(page) && (
                <Cell>
                  <Form
                    action={page.url(`/companies/${acct}/line-items/${item.id}/delete${period}`)}
                    csrf={page.csrf}
                    inline
                    label={`Remove ${item.name}`}
                  >
                    <Button label="Remove" variant="danger" size="small" />
                  </Form>
                </Cell>
              )}
            </tr>
          ))}
        </Table>
      )}
      {canBill(page) && <ChargeForm action={`/companies/${acct}/line-items${period}`} {...form} />}
    </Card>
  );
}

/** A company's bill for a month: its lines, acceptance, overrides and extra charges. */
export function CompanyBillPage({ bill, items, ...form }: { bill: BillView; items: LineItemJson[] } & FormState) {
  const page = usePage();
  const acct = encodeURIComponent(bill.account_number);
  const period = qs({ year: bill.year, month: bill.month });
  return (
    <>
      <PageHeader
        title={`${bill.company_name}: ${MONTHS[bill.month - 1]} ${bill.year}`}
        description={`Invoice ${bill.invoice_number}`}
        actions={
          <>
            <Button href={page.url(`/companies/${acct}`)} label="Company" />
            {isStaff(page) && <Button href={page.url(`/companies/${acct}/billing`)} label="Billing settings" />}
            <Button href={page.url(`/api/billing/${acct}/invoice.csv${period}`)} label="Invoice CSV" />
            <Button href={page.url("/billing/invoices")} label="Accepted bills" />
            {isStaff(page) && (
              <Button href={page.url(`/api/billing/${acct}/quickbooks.csv${period}`)} label="QuickBooks CSV" />
            )}
          </>
        }
      />
      <PeriodPicker action={`/companies/${acct}/bill`} year={bill.year} month={bill.month} />
      <TheBill bill={bill} {...form} />
      {isStaff(page) && bill.adjustments && <AdjustmentsCard adjustments={bill.adjustments} />}
      {page.level !== "client" && <ExtraCharges bill={bill} items={items} {...form} />}
    </>
  );
}
