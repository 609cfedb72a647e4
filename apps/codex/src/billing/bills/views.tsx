import {
  Alert,
  Badge,
  BarChart,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Stat,
  StatGrid,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { CONTRACT_TERMS, LINE_ITEM_KINDS } from "../db/schema.ts";
import type { BillView } from "../billing/bills.ts";
import { EXPIRING_WITHIN_DAYS, type BillingDashboard } from "../billing/dashboard.ts";
import type { BillAdjustments } from "../billing/engine.ts";
import type { planJson } from "../data/plans.ts";
import type { lineItemJson } from "../billing/config.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { canBill, isStaff } from "../shared/levels.ts";
import { label, money, qs, when } from "../shared/format.ts";

type PlanJson = ReturnType<typeof planJson>;
type LineItemJson = ReturnType<typeof lineItemJson>;

export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export function PeriodPicker({ p, action, year, month }: { p: PageCtx; action: string; year: number; month: number }) {
  return (
    <Toolbar label="Choose the month" action={p.url(action)}>
      <ToolbarGroup>
        <Field
          name="month"
          label="Month"
          type="select"
          value={String(month)}
          options={MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))}
        />
        <Field name="year" label="Year" type="number" value={year} min="2000" />
        <Button label="Show" />
      </ToolbarGroup>
    </Toolbar>
  );
}

export function BillingDashboardPage({
  p,
  year,
  month,
  bills,
  dashboard,
  notice,
  errors,
}: {
  p: PageCtx;
  year: number;
  month: number;
  bills: BillView[];
  dashboard: BillingDashboard;
  notice?: string | null;
  errors?: FieldErrors;
}) {
  const period = qs({ year, month });
  const monthName = `${MONTHS[month - 1]} ${year}`;
  // Bills with nothing to charge are left out of acceptance, as acceptMonth does.
  const drafts = bills.filter((b) => !b.accepted && b.lines.some((l) => l.amount_cents !== 0)).length;
  return (
    <Shell
      p={p}
      title="Billing"
      section="billing"
      notice={
        notice
          ? { variant: "success", text: notice }
          : errors && Object.keys(errors).length
            ? { variant: "error", text: Object.values(errors)[0]! }
            : null
      }
    >
      <PageHeader
        title="Billing"
        description={`${monthName}: ${bills.length} companies, ${money(dashboard.revenue_cents)} in total.`}
        actions={
          <>
            <Button href={p.url("/billing/invoices")} label="Accepted bills" />
            <Button href={p.url("/billing/plans")} label="Billing plans" />
            {p.level === "admin" && <Button href={p.url("/billing/automation")} label="Scheduled acceptance" />}
          </>
        }
      />
      <PeriodPicker p={p} action="/billing" year={year} month={month} />
      <StatGrid>
        <Stat
          label="Total clients"
          value={dashboard.total_clients.toLocaleString("en-US")}
          href={p.url("/companies")}
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
      <Card title="Revenue by plan">
        <BarChart
          title={`Revenue by plan, ${monthName}`}
          unit="$"
          data={dashboard.revenue_by_plan.map((x) => ({ label: x.plan, value: x.revenue_cents / 100 }))}
          emptyMessage="No bills this month."
        />
      </Card>
      <Card title={`Contracts expiring within ${EXPIRING_WITHIN_DAYS} days`}>
        {dashboard.expiring.length === 0 ? (
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
            {dashboard.expiring.map((x) => (
              <tr>
                <Cell>{x.account_number}</Cell>
                <Cell>
                  <a href={p.url(`/companies/${encodeURIComponent(x.account_number)}`)}>{x.name}</a>
                </Cell>
                <Cell>{x.plan ?? "—"}</Cell>
                <Cell>{x.contract_end}</Cell>
                <Cell numeric>{x.days_left}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card
        title={`Bills for ${monthName}`}
        actions={
          <>
            <Button href={p.url(`/api/billing/export.csv${period}`)} label="Export CSV" size="small" />
            <Button href={p.url(`/api/billing/invoices.zip${period}`)} label="Invoices (ZIP)" size="small" />
            <Button href={p.url(`/api/billing/quickbooks.csv${period}`)} label="QuickBooks CSV" size="small" />
          </>
        }
      >
        {canBill(p) && drafts > 0 && (
          <Form
            action={p.url("/billing/accept-month")}
            csrf={p.csrf}
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
          <Table
            columns={[
              { label: "Account" },
              { label: "Company" },
              { label: "Plan" },
              { label: "Users", numeric: true },
              { label: "Workstations", numeric: true },
              { label: "Servers", numeric: true },
              { label: "VMs", numeric: true },
              { label: "Total", numeric: true },
              { label: "Status" },
            ]}
          >
            {bills.map((b) => (
              <tr>
                <Cell>{b.account_number}</Cell>
                <Cell>
                  <a href={p.url(`/companies/${encodeURIComponent(b.account_number)}/bill${period}`)}>
                    {b.company_name}
                  </a>
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

export function CompanyBillPage({
  p,
  bill,
  items,
  errors,
  values,
  notice,
}: {
  p: PageCtx;
  bill: BillView;
  items: LineItemJson[];
  errors: FieldErrors;
  values: Record<string, string>;
  notice?: string | null;
}) {
  const acct = encodeURIComponent(bill.account_number);
  const period = { year: bill.year, month: bill.month };
  return (
    <Shell
      p={p}
      title={`Bill ${bill.invoice_number}`}
      section="billing"
      notice={
        notice
          ? { variant: "success", text: notice }
          : Object.keys(errors).length
            ? { variant: "error", text: "Check the form below." }
            : null
      }
    >
      <PageHeader
        title={`${bill.company_name}: ${MONTHS[bill.month - 1]} ${bill.year}`}
        description={`Invoice ${bill.invoice_number}`}
        actions={
          <>
            <Button href={p.url(`/companies/${acct}`)} label="Company" />
            {isStaff(p) && <Button href={p.url(`/companies/${acct}/billing`)} label="Billing settings" />}
            <Button href={p.url(`/api/billing/${acct}/invoice.csv${qs(period)}`)} label="Invoice CSV" />
            <Button href={p.url("/billing/invoices")} label="Accepted bills" />
            {isStaff(p) && (
              <Button href={p.url(`/api/billing/${acct}/quickbooks.csv${qs(period)}`)} label="QuickBooks CSV" />
            )}
          </>
        }
      />
      <PeriodPicker p={p} action={`/companies/${acct}/bill`} year={bill.year} month={bill.month} />
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
        <DescriptionList
          items={[
            {
              term: "Plan",
              detail: bill.plan
                ? `${bill.plan.name}, ${label(bill.plan.term)}, ${bill.plan.support_level}`
                : "No plan: only line items are billed",
            },
            {
              term: "Support time",
              detail: `${bill.tickets.minutes_logged} min logged, ${bill.tickets.prepaid_monthly_minutes} min prepaid, ${bill.tickets.billable_minutes} min billable`,
            },
            {
              term: "Backup",
              detail: `${(bill.backup.total_bytes / 2 ** 40).toFixed(2)} TB stored, ${(bill.backup.included_bytes / 2 ** 40).toFixed(2)} TB included`,
            },
            ...(bill.accepted
              ? [
                  {
                    term: "Accepted",
                    detail: `${when(bill.accepted.accepted_at)} by ${bill.accepted.accepted_by}${bill.accepted.notes ? `: ${bill.accepted.notes}` : ""}`,
                  },
                ]
              : []),
          ]}
        />
        <BillLines bill={bill} />
        {!bill.accepted && canBill(p) && (
          <Form action={p.url(`/companies/${acct}/bill/accept`)} csrf={p.csrf} inline label="Accept this bill">
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
      {isStaff(p) && bill.adjustments && <AdjustmentsCard adjustments={bill.adjustments} />}
      {p.level !== "client" && (
        <Card title="Extra charges">
          {items.length === 0 ? (
            <EmptyState title="No extra charges" />
          ) : (
            <Table
              columns={[
                { label: "Name" },
                { label: "When" },
                { label: "Amount", numeric: true },
                ...(canBill(p) ? [{ label: "" }] : []),
              ]}
            >
              {items.map((i) => (
                <tr>
                  <Cell>{i.name}</Cell>
                  <Cell>
                    {i.kind === "monthly"
                      ? "every month"
                      : i.kind === "yearly"
                        ? `every ${MONTHS[(i.month ?? 1) - 1]}`
                        : `${MONTHS[(i.month ?? 1) - 1]} ${i.year}`}
                  </Cell>
                  <Cell numeric>{money(i.amount_cents)}</Cell>
                  {canBill(p) && (
                    <Cell>
                      <Form
                        action={p.url(`/companies/${acct}/line-items/${i.id}/delete${qs(period)}`)}
                        csrf={p.csrf}
                        inline
                        label={`Remove ${i.name}`}
                      >
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
              <Field
                name="kind"
                label="Billed"
                type="select"
                value={values.kind ?? "monthly"}
                error={errors.kind}
                options={LINE_ITEM_KINDS.map((k) => ({ value: k, label: k === "one_off" ? "once" : k }))}
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
                options={[{ value: "", label: "—" }, ...MONTHS.map((m, i) => ({ value: String(i + 1), label: m }))]}
              />
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

const BILLED_AS: Record<string, string> = {
  workstation: "workstation",
  server: "server",
  vm: "VM",
  switch: "switch",
  firewall: "firewall",
  no_charge: "no charge",
  custom: "custom price",
  paid: "paid",
  free: "free",
};
const billedAs = (type: string, cents: number | null) =>
  type === "custom" && cents !== null ? `custom price, ${money(cents)}` : (BILLED_AS[type] ?? type);

/** A rate as people read it: dollars, minutes or TB. */
export function rateText(field: string, value: number): string {
  const kind = RATE_INPUTS.find(([n]) => n === field)?.[2];
  return kind === "minutes" ? `${value} min` : kind === "tb" ? `${value} TB` : money(value);
}
export const rateLabel = (field: string) =>
  RATE_INPUTS.find(([n]) => n === field)?.[1].replace(/ \(\$\)$/, "") ?? label(field);

/** Which of a bill's figures came from the company's overrides and hand-added items, rather than its plan and records. */
/** A bill's lines and its total, the same on a draft bill and an accepted one. */
export function BillLines({ bill }: { bill: BillView }) {
  return (
    <Table
      columns={[
        { label: "Item" },
        { label: "Quantity", numeric: true },
        { label: "Unit price", numeric: true },
        { label: "Amount", numeric: true },
      ]}
    >
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
  );
}

export function AdjustmentsCard({ adjustments: a }: { adjustments: BillAdjustments }) {
  const none = a.rates.length + a.assets.length + a.users.length + a.manual_assets.length + a.manual_users.length === 0;
  return (
    <Card title="Overrides in this bill">
      {none ? (
        <EmptyState
          title="Nothing overridden"
          message="Every rate comes from the plan, and every device and user is billed as what it is."
        />
      ) : (
        <>
          {a.rates.length > 0 && (
            <Table
              caption="Rates this company pays instead of its plan's"
              columns={[{ label: "Rate" }, { label: "Plan", numeric: true }, { label: "This company", numeric: true }]}
            >
              {a.rates.map((x) => (
                <tr>
                  <Cell>{rateLabel(x.field)}</Cell>
                  <Cell numeric>{rateText(x.field, x.plan)}</Cell>
                  <Cell numeric>{rateText(x.field, x.override)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {a.assets.length > 0 && (
            <Table
              caption="Devices billed differently"
              columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }]}
            >
              {a.assets.map((x) => (
                <tr>
                  <Cell>{x.hostname}</Cell>
                  <Cell>{label(x.asset_type)}</Cell>
                  <Cell>{billedAs(x.billed_as, x.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {a.users.length > 0 && (
            <Table caption="Users billed differently" columns={[{ label: "User" }, { label: "Billed as" }]}>
              {a.users.map((x) => (
                <tr>
                  <Cell>{x.name}</Cell>
                  <Cell>{billedAs(x.billed_as, x.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {a.manual_assets.length + a.manual_users.length > 0 && (
            <Table
              caption="Added by hand"
              columns={[{ label: "Device or user" }, { label: "Kind" }, { label: "Billed as" }]}
            >
              {a.manual_assets.map((x) => (
                <tr>
                  <Cell>{x.hostname}</Cell>
                  <Cell>device</Cell>
                  <Cell>{billedAs(x.billed_as, x.custom_cents)}</Cell>
                </tr>
              ))}
              {a.manual_users.map((x) => (
                <tr>
                  <Cell>{x.name}</Cell>
                  <Cell>user</Cell>
                  <Cell>{billedAs(x.billed_as, x.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </Card>
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

export function PlansPage({
  p,
  plans,
  catalog,
  errors,
  values,
  notice,
  importProblems,
}: {
  p: PageCtx;
  plans: PlanJson[];
  catalog: { key: string; name: string; options: { id: number; value: string; display_name: string }[] }[];
  errors: FieldErrors;
  values: Record<string, string>;
  notice?: string | null;
  importProblems?: { field: string; message: string }[];
}) {
  return (
    <Shell
      p={p}
      title="Billing plans"
      section="billing"
      notice={
        notice
          ? { variant: "success", text: notice }
          : Object.keys(errors).length
            ? { variant: "error", text: "Check the form below." }
            : null
      }
    >
      <PageHeader
        title="Billing plans"
        description="Per-unit prices for each plan and contract term."
        actions={
          <>
            {canBill(p) && <Button href={p.url("/billing/plans/new")} label="New plan" variant="primary" />}
            {p.level === "admin" && <Button href={p.url("/api/billing-plans/export")} label="Export JSON" />}
          </>
        }
      />
      <Card>
        {plans.length === 0 ? (
          <EmptyState title="No plans yet" />
        ) : (
          <Table
            columns={[
              { label: "Plan" },
              { label: "Term" },
              { label: "User", numeric: true },
              { label: "Workstation", numeric: true },
              { label: "Server", numeric: true },
              { label: "VM", numeric: true },
              { label: "Switch", numeric: true },
              { label: "Firewall", numeric: true },
              { label: "Hour", numeric: true },
              { label: "Support" },
            ]}
          >
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
          <DescriptionList
            items={catalog.map((cat) => ({
              term: cat.name,
              detail: cat.options.map((o) => o.display_name).join(", ") || "no options yet",
            }))}
          />
        )}
        {canBill(p) && (
          <>
            <Form action={p.url("/billing/features/categories")} csrf={p.csrf} inline label="Add a feature category">
              <Field
                name="key"
                label="Category key"
                value={values.form === "category" ? values.key : ""}
                error={values.form === "category" ? errors.key : undefined}
                placeholder="antivirus"
              />
              <Field
                name="name"
                label="Category name"
                value={values.form === "category" ? values.name : ""}
                error={values.form === "category" ? errors.name : undefined}
              />
              <input type="hidden" name="form" value="category" />
              <Button label="Add category" />
            </Form>
            {catalog.length > 0 && (
              <Form action={p.url("/billing/features/options")} csrf={p.csrf} inline label="Add a feature option">
                <Field
                  name="category"
                  label="Category"
                  type="select"
                  value={values.form === "option" ? values.category : ""}
                  options={catalog.map((cat) => ({ value: cat.key, label: cat.name }))}
                />
                <Field
                  name="value"
                  label="Option"
                  value={values.form === "option" ? values.value : ""}
                  error={values.form === "option" ? errors.value : undefined}
                  placeholder="sentinelone"
                />
                <Field
                  name="display_name"
                  label="Shown as"
                  value={values.form === "option" ? values.display_name : ""}
                />
                <input type="hidden" name="form" value="option" />
                <Button label="Add option" />
              </Form>
            )}
          </>
        )}
      </Card>
      {p.level === "admin" && (
        <Card title="Import plans">
          {importProblems && importProblems.length > 0 && (
            <Alert variant="error" title="Nothing was imported">
              <ul>
                {importProblems.map((x) => (
                  <li>{x.field ? `${x.field}: ${x.message}` : x.message}</li>
                ))}
              </ul>
            </Alert>
          )}
          <Form
            action={p.url("/billing/plans/import")}
            csrf={p.csrf}
            enctype="multipart/form-data"
            inline
            label="Import plans from a JSON export"
          >
            <Field name="file" label="Plans file (JSON, from Export JSON)" type="file" error={errors.file} />
            <Button label="Import" />
          </Form>
        </Card>
      )}
    </Shell>
  );
}

export function PlanFormPage({
  p,
  id,
  values,
  errors,
  catalog,
}: {
  p: PageCtx;
  id: number | null;
  values: Record<string, string>;
  errors: FieldErrors;
  catalog: { key: string; name: string; options: { value: string; display_name: string }[] }[];
}) {
  const title = id ? `Edit ${values.name ?? "plan"}` : "New billing plan";
  return (
    <Shell
      p={p}
      title={title}
      section="billing"
      notice={Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null}
    >
      <PageHeader title={title} />
      <Card>
        <Form action={p.url(id ? `/billing/plans/${id}` : "/billing/plans")} csrf={p.csrf} wide label={title}>
          <Field name="name" label="Plan name" required value={values.name ?? ""} error={errors.name} />
          <Field
            name="term"
            label="Contract term"
            type="select"
            value={values.term ?? "month_to_month"}
            error={errors.term}
            options={CONTRACT_TERMS.map((t) => ({ value: t, label: label(t) }))}
          />
          <Field
            name="support_level"
            label="Support level"
            value={values.support_level ?? ""}
            error={errors.support_level}
          />
          {RATE_INPUTS.map(([name, text, kind]) => (
            <Field
              name={name}
              label={text}
              value={values[name] ?? ""}
              error={errors[name]}
              required
              placeholder={kind === "money" ? "0.00" : "0"}
            />
          ))}
          {catalog.map((cat) => (
            <Field
              name={`feature_${cat.key}`}
              label={cat.name}
              type="select"
              value={values[`feature_${cat.key}`] ?? ""}
              error={errors[cat.key]}
              options={[
                { value: "", label: "Not included" },
                ...cat.options.map((o) => ({ value: o.value, label: o.display_name })),
              ]}
            />
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
      {id && (
        <Card title="Copy terms">
          <Form
            action={p.url(`/billing/plans/${id}/copy-terms`)}
            csrf={p.csrf}
            inline
            label="Copy this term's rates to the plan's other terms"
          >
            <Field
              name="create_missing"
              label="Also add the terms this plan lacks"
              type="checkbox"
              value={values.create_missing === "on"}
            />
            <Button label={`Apply these saved rates to every other term of ${values.name ?? "this plan"}`} />
          </Form>
        </Card>
      )}
    </Shell>
  );
}
