import { Badge, Button, Card, Cell, DescriptionList, EmptyState, Field, Form, FormActions, PageHeader, Table, Toolbar, ToolbarGroup, type FieldErrors } from "@hivematrix/lib/ui";
import { CONTRACT_TERMS, LINE_ITEM_KINDS } from "../db/schema.ts";
import type { BillView } from "../billing/bills.ts";
import type { planJson } from "../data/plans.ts";
import type { lineItemJson } from "../billing/config.ts";
import { canBill, label, money, qs, Shell, when, type PageCtx } from "./shell.tsx";

type PlanJson = ReturnType<typeof planJson>;
type LineItemJson = ReturnType<typeof lineItemJson>;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function PeriodPicker({ p, action, year, month }: { p: PageCtx; action: string; year: number; month: number }) {
  return (
    <Toolbar label="Choose the month" action={p.url(action)}>
      <ToolbarGroup>
        <Field name="month" label="Month" type="select" value={String(month)} options={MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))} />
        <Field name="year" label="Year" type="number" value={year} min="2000" />
        <Button label="Show" />
      </ToolbarGroup>
    </Toolbar>
  );
}

export function BillingMonthPage({ p, year, month, bills }: { p: PageCtx; year: number; month: number; bills: BillView[] }) {
  const total = bills.reduce((s, b) => s + b.totals.total_cents, 0);
  return (
    <Shell p={p} title="Billing" section="billing">
      <PageHeader
        title={`Bills for ${MONTHS[month - 1]} ${year}`}
        description={`${bills.length} companies, ${money(total)} in total.`}
        actions={
          <>
            <Button href={p.url(`/api/billing/export.csv${qs({ year, month })}`)} label="Export CSV" />
            <Button href={p.url("/billing/plans")} label="Billing plans" />
          </>
        }
      />
      <PeriodPicker p={p} action="/billing" year={year} month={month} />
      <Card>
        {bills.length === 0 ? (
          <EmptyState title="No companies to bill" />
        ) : (
          <Table columns={[{ label: "Account" }, { label: "Company" }, { label: "Plan" }, { label: "Users", numeric: true }, { label: "Workstations", numeric: true }, { label: "Servers", numeric: true }, { label: "VMs", numeric: true }, { label: "Total", numeric: true }, { label: "Status" }]}>
            {bills.map((b) => (
              <tr>
                <Cell>{b.account_number}</Cell>
                <Cell>
                  <a href={p.url(`/companies/${encodeURIComponent(b.account_number)}/bill${qs({ year, month })}`)}>{b.company_name}</a>
                </Cell>
                <Cell>{b.plan ? `${b.plan.name} (${label(b.plan.term)})` : "—"}</Cell>
                <Cell numeric>{b.counts.users}</Cell>
                <Cell numeric>{b.counts.workstations}</Cell>
                <Cell numeric>{b.counts.servers}</Cell>
                <Cell numeric>{b.counts.vms}</Cell>
                <Cell numeric>{money(b.totals.total_cents)}</Cell>
                <Cell>{b.accepted ? <Badge variant="success">accepted</Badge> : <Badge>draft</Badge>}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Shell>
  );
}

export function CompanyBillPage({ p, bill, items, errors, values, notice }: { p: PageCtx; bill: BillView; items: LineItemJson[]; errors: FieldErrors; values: Record<string, string>; notice?: string | null }) {
  const acct = encodeURIComponent(bill.account_number);
  const period = { year: bill.year, month: bill.month };
  return (
    <Shell p={p} title={`Bill ${bill.invoice_number}`} section="billing" notice={notice ? { variant: "success", text: notice } : Object.keys(errors).length ? { variant: "error", text: "Check the form below." } : null}>
      <PageHeader title={`${bill.company_name}: ${MONTHS[bill.month - 1]} ${bill.year}`} description={`Invoice ${bill.invoice_number}`} actions={<Button href={p.url(`/companies/${acct}`)} label="Company" />} />
      <PeriodPicker p={p} action={`/companies/${acct}/bill`} year={bill.year} month={bill.month} />
      <Card
        title={bill.accepted ? "Accepted bill" : "Draft bill"}
        actions={bill.accepted ? <Badge variant="success">accepted</Badge> : <Badge>draft: figures change with the data until accepted</Badge>}
      >
        <DescriptionList
          items={[
            { term: "Plan", detail: bill.plan ? `${bill.plan.name}, ${label(bill.plan.term)}, ${bill.plan.support_level}` : "No plan: only line items are billed" },
            { term: "Support time", detail: `${bill.tickets.minutes_logged} min logged, ${bill.tickets.prepaid_monthly_minutes} min prepaid, ${bill.tickets.billable_minutes} min billable` },
            { term: "Backup", detail: `${(bill.backup.total_bytes / 2 ** 40).toFixed(2)} TB stored, ${(bill.backup.included_bytes / 2 ** 40).toFixed(2)} TB included` },
            ...(bill.accepted ? [{ term: "Accepted", detail: `${when(bill.accepted.accepted_at)} by ${bill.accepted.accepted_by}${bill.accepted.notes ? `: ${bill.accepted.notes}` : ""}` }] : []),
          ]}
        />
        <Table columns={[{ label: "Item" }, { label: "Quantity", numeric: true }, { label: "Unit price", numeric: true }, { label: "Amount", numeric: true }]}>
          {bill.lines.map((l) => (
            <tr>
              <Cell>{l.description}</Cell>
              <Cell numeric>{l.quantity}</Cell>
              <Cell numeric>{money(l.unit_cents)}</Cell>
              <Cell numeric>{money(l.amount_cents)}</Cell>
            </tr>
          ))}
          <tr>
            <Cell>Total</Cell>
            <Cell numeric> </Cell>
            <Cell numeric> </Cell>
            <Cell numeric>{money(bill.totals.total_cents)}</Cell>
          </tr>
        </Table>
        {!bill.accepted && canBill(p) && (
          <Form action={p.url(`/companies/${acct}/bill/accept`)} csrf={p.csrf} inline label="Accept this bill">
            <input type="hidden" name="year" value={String(bill.year)} />
            <input type="hidden" name="month" value={String(bill.month)} />
            <Field name="notes" label="Notes" value={values.notes ?? ""} error={errors.month ?? errors.year ?? errors.notes ?? errors.form} />
            <Button label={`Accept as ${bill.invoice_number}`} variant="primary" />
          </Form>
        )}
      </Card>
      {p.level !== "client" && (
        <Card title="Extra charges">
          {items.length === 0 ? (
            <EmptyState title="No extra charges" />
          ) : (
            <Table columns={[{ label: "Name" }, { label: "When" }, { label: "Amount", numeric: true }, ...(canBill(p) ? [{ label: "" }] : [])]}>
              {items.map((i) => (
                <tr>
                  <Cell>{i.name}</Cell>
                  <Cell>{i.kind === "monthly" ? "every month" : i.kind === "yearly" ? `every ${MONTHS[(i.month ?? 1) - 1]}` : `${MONTHS[(i.month ?? 1) - 1]} ${i.year}`}</Cell>
                  <Cell numeric>{money(i.amount_cents)}</Cell>
                  {canBill(p) && (
                    <Cell>
                      <Form action={p.url(`/companies/${acct}/line-items/${i.id}/delete${qs(period)}`)} csrf={p.csrf} inline label={`Remove ${i.name}`}>
                        <Button label="Remove" variant="danger" size="small" />
                      </Form>
                    </Cell>
                  )}
                </tr>
              ))}
            </Table>
          )}
          {canBill(p) && (
            <Form action={p.url(`/companies/${acct}/line-items${qs(period)}`)} csrf={p.csrf} wide label="Add a charge">
              <Field name="name" label="Name" required value={values.name ?? ""} error={errors.name} />
              <Field name="kind" label="Billed" type="select" value={values.kind ?? "monthly"} error={errors.kind} options={LINE_ITEM_KINDS.map((k) => ({ value: k, label: k === "one_off" ? "once" : k }))} />
              <Field name="amount" label="Amount ($)" value={values.amount ?? ""} error={errors.amount ?? errors.amount_cents} required placeholder="25.00" />
              <Field name="year" label="Year (once)" type="number" value={values.year ?? ""} error={errors.year} />
              <Field name="month" label="Month (once or yearly)" type="select" value={values.month ?? ""} error={errors.month} options={[{ value: "", label: "—" }, ...MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))]} />
              <FormActions>
                <Button label="Add charge" />
              </FormActions>
            </Form>
          )}
        </Card>
      )}
    </Shell>
  );
}

export const RATE_INPUTS: [string, string, "money" | "minutes" | "tb"][] = [
  ["per_user_cents", "Per user ($)", "money"],
  ["per_workstation_cents", "Per workstation ($)", "money"],
  ["per_server_cents", "Per server ($)", "money"],
  ["per_vm_cents", "Per VM ($)", "money"],
  ["per_switch_cents", "Per switch ($)", "money"],
  ["per_firewall_cents", "Per firewall ($)", "money"],
  ["per_hour_cents", "Per ticket hour ($)", "money"],
  ["prepaid_minutes_monthly", "Prepaid minutes a month", "minutes"],
  ["prepaid_minutes_yearly", "Prepaid minutes a year", "minutes"],
  ["backup_base_workstation_cents", "Backup base, workstation ($)", "money"],
  ["backup_base_server_cents", "Backup base, server ($)", "money"],
  ["backup_included_tb", "Backup TB included per device", "tb"],
  ["backup_per_tb_cents", "Backup per extra TB ($)", "money"],
];

export function PlansPage({ p, plans, catalog, errors, values, notice }: { p: PageCtx; plans: PlanJson[]; catalog: { key: string; name: string; options: { id: number; value: string; display_name: string }[] }[]; errors: FieldErrors; values: Record<string, string>; notice?: string | null }) {
  return (
    <Shell p={p} title="Billing plans" section="billing" notice={notice ? { variant: "success", text: notice } : Object.keys(errors).length ? { variant: "error", text: "Check the form below." } : null}>
      <PageHeader title="Billing plans" description="Per-unit prices for each plan and contract term." actions={canBill(p) && <Button href={p.url("/billing/plans/new")} label="New plan" variant="primary" />} />
      <Card>
        {plans.length === 0 ? (
          <EmptyState title="No plans yet" />
        ) : (
          <Table columns={[{ label: "Plan" }, { label: "Term" }, { label: "User", numeric: true }, { label: "Workstation", numeric: true }, { label: "Server", numeric: true }, { label: "VM", numeric: true }, { label: "Switch", numeric: true }, { label: "Firewall", numeric: true }, { label: "Hour", numeric: true }, { label: "Support" }]}>
            {plans.map((x) => (
              <tr>
                <Cell>{canBill(p) ? <a href={p.url(`/billing/plans/${x.id}`)}>{x.name}</a> : x.name}</Cell>
                <Cell>{label(x.term)}</Cell>
                <Cell numeric>{money(x.per_user_cents)}</Cell>
                <Cell numeric>{money(x.per_workstation_cents)}</Cell>
                <Cell numeric>{money(x.per_server_cents)}</Cell>
                <Cell numeric>{money(x.per_vm_cents)}</Cell>
                <Cell numeric>{money(x.per_switch_cents)}</Cell>
                <Cell numeric>{money(x.per_firewall_cents)}</Cell>
                <Cell numeric>{money(x.per_hour_cents)}</Cell>
                <Cell>{x.support_level}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title="Feature options">
        {catalog.length === 0 ? (
          <EmptyState title="No feature categories yet" />
        ) : (
          <DescriptionList items={catalog.map((cat) => ({ term: cat.name, detail: cat.options.map((o) => o.display_name).join(", ") || "no options yet" }))} />
        )}
        {canBill(p) && (
          <>
            <Form action={p.url("/billing/features/categories")} csrf={p.csrf} inline label="Add a feature category">
              <Field name="key" label="Category key" value={values.form === "category" ? values.key : ""} error={values.form === "category" ? errors.key : undefined} placeholder="antivirus" />
              <Field name="name" label="Category name" value={values.form === "category" ? values.name : ""} error={values.form === "category" ? errors.name : undefined} />
              <input type="hidden" name="form" value="category" />
              <Button label="Add category" />
            </Form>
            {catalog.length > 0 && (
              <Form action={p.url("/billing/features/options")} csrf={p.csrf} inline label="Add a feature option">
                <Field name="category" label="Category" type="select" value={values.form === "option" ? values.category : ""} options={catalog.map((cat) => ({ value: cat.key, label: cat.name }))} />
                <Field name="value" label="Option" value={values.form === "option" ? values.value : ""} error={values.form === "option" ? errors.value : undefined} placeholder="sentinelone" />
                <Field name="display_name" label="Shown as" value={values.form === "option" ? values.display_name : ""} />
                <input type="hidden" name="form" value="option" />
                <Button label="Add option" />
              </Form>
            )}
          </>
        )}
      </Card>
    </Shell>
  );
}

export function PlanFormPage({ p, id, values, errors, catalog }: { p: PageCtx; id: number | null; values: Record<string, string>; errors: FieldErrors; catalog: { key: string; name: string; options: { value: string; display_name: string }[] }[] }) {
  const title = id ? `Edit ${values.name ?? "plan"}` : "New billing plan";
  return (
    <Shell p={p} title={title} section="billing" notice={Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null}>
      <PageHeader title={title} />
      <Card>
        <Form action={p.url(id ? `/billing/plans/${id}` : "/billing/plans")} csrf={p.csrf} wide label={title}>
          <Field name="name" label="Plan name" required value={values.name ?? ""} error={errors.name} />
          <Field name="term" label="Contract term" type="select" value={values.term ?? "month_to_month"} error={errors.term} options={CONTRACT_TERMS.map((t) => ({ value: t, label: label(t) }))} />
          <Field name="support_level" label="Support level" value={values.support_level ?? ""} error={errors.support_level} />
          {RATE_INPUTS.map(([name, text, kind]) => (
            <Field name={name} label={text} value={values[name] ?? ""} error={errors[name]} required placeholder={kind === "money" ? "0.00" : "0"} />
          ))}
          {catalog.map((cat) => (
            <Field name={`feature_${cat.key}`} label={cat.name} type="select" value={values[`feature_${cat.key}`] ?? ""} error={errors[cat.key]} options={[{ value: "", label: "Not included" }, ...cat.options.map((o) => ({ value: o.value, label: o.display_name }))]} />
          ))}
          <FormActions>
            <Button label={id ? "Save plan" : "Create plan"} variant="primary" />
            <Button href={p.url("/billing/plans")} label="Cancel" variant="ghost" />
          </FormActions>
        </Form>
        {id && (
          <Form action={p.url(`/billing/plans/${id}/delete`)} csrf={p.csrf} inline label="Delete this plan">
            <Button label="Delete plan" variant="danger" />
          </Form>
        )}
      </Card>
    </Shell>
  );
}
