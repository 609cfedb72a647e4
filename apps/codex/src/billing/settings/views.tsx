import { usePage } from "@hivematrix/lib/page";
import {
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import { label, money, qs } from "../../shared/format.ts";
import { canBill } from "../../shared/levels.ts";
import { chargeWhen } from "../bills/views-parts.tsx";
import { RATE_INPUTS, rateFormLabel, rateFormValue, rateText } from "../rates.ts";
import type { CompanyBillingSettings, FeatureRow } from "./json.ts";
import { ManualCards } from "./views-manual.tsx";
import { AssetsCard, UsersCard } from "./views-rows.tsx";

/** What every card of the page gets: the settings, and a failed form's values and errors. */
export interface CardProps {
  settings: CompanyBillingSettings;
  errors: FieldErrors;
  values: Record<string, string>;
}

/** The link to this month's bill, where extra charges are added and removed. */
function thisMonthsBill(acct: string) {
  const now = new Date();
  return `/companies/${acct}/bill${qs({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })}`;
}

function RatesCard({ settings, errors, values }: CardProps) {
  const page = usePage();
  const base = `/companies/${encodeURIComponent(settings.account_number)}/billing`;
  // A re-shown rates form keeps what was sent: an unticked box is absent from it.
  const submitted = values.form === "rates";
  return (
    <Card title="Rates" id="rates">
      <Table
        columns={[
          { label: "Rate" },
          { label: "Plan", numeric: true },
          { label: "Override", numeric: true },
          { label: "Billed", numeric: true },
        ]}
      >
        {RATE_INPUTS.map(([name, text, kind]) => {
          const own = settings.overrides[name];
          return (
            <tr>
              <Cell>{rateFormLabel(name, text, kind).replace(/ \(\$\)$/, "")}</Cell>
              <Cell numeric>{rateText(name, settings.plan_rates[name])}</Cell>
              <Cell numeric>{own === null ? "—" : rateText(name, own)}</Cell>
              <Cell numeric>{rateText(name, settings.effective_rates[name])}</Cell>
            </tr>
          );
        })}
      </Table>
      {canBill(page) && (
        <Form action={page.url(`${base}/rates`)} csrf={page.csrf} wide label="Rate overrides">
          <input type="hidden" name="form" value="rates" />
          {RATE_INPUTS.map(([name, text, kind]) => {
            const own = settings.overrides[name];
            const parked = settings.parked_overrides[name];
            const plan = settings.plan_rates[name];
            const switchedOffNote =
              own === null && parked !== undefined ? ". Switched off; tick the box to use this value again." : "";
            return (
              <>
                <Field
                  name={`${name}_on`}
                  label={`Override: ${rateFormLabel(name, text, kind)}`}
                  type="checkbox"
                  value={submitted ? values[`${name}_on`] === "on" : own !== null}
                />
                <Field
                  name={name}
                  label={rateFormLabel(name, text, kind)}
                  value={values[name] ?? rateFormValue(kind, own ?? parked ?? plan)}
                  error={errors[name]}
                  hint={`Plan: ${rateText(name, plan)}${switchedOffNote}`}
                />
              </>
            );
          })}
          <FormActions>
            <Button label="Save rates" variant="primary" />
          </FormActions>
        </Form>
      )}
    </Card>
  );
}

const optionName = (row: FeatureRow, value: string | null) =>
  row.options.find((option) => option.value === value)?.display_name;

function FeaturesCard({ settings, features, errors, values }: CardProps & { features: FeatureRow[] }) {
  const page = usePage();
  const base = `/companies/${encodeURIComponent(settings.account_number)}/billing`;
  return (
    <Card title="Features" id="features">
      {features.length === 0 ? (
        <EmptyState title="No feature categories yet" message="Add them on the billing plans page." />
      ) : canBill(page) ? (
        <Form action={page.url(`${base}/features`)} csrf={page.csrf} wide label="Feature overrides">
          {features.map((row) => (
            <Field
              name={`feature_${row.key}`}
              label={row.name}
              type="select"
              value={values[`feature_${row.key}`] ?? row.own ?? ""}
              error={errors[`feature_${row.key}`] ?? errors[row.key]}
              options={[
                { value: "", label: `Plan default (${optionName(row, row.plan) ?? "not included"})` },
                ...row.options.map((option) => ({ value: option.value, label: option.display_name })),
              ]}
            />
          ))}
          <FormActions>
            <Button label="Save features" variant="primary" />
          </FormActions>
        </Form>
      ) : (
        <Table columns={[{ label: "Feature" }, { label: "Plan" }, { label: "This company" }]}>
          {features.map((row) => (
            <tr>
              <Cell>{row.name}</Cell>
              <Cell>{optionName(row, row.plan) ?? "not included"}</Cell>
              <Cell>{row.own ? (optionName(row, row.own) ?? row.own) : "plan default"}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

function ChargesCard({ settings }: { settings: CompanyBillingSettings }) {
  const page = usePage();
  return (
    <Card
      title="Extra charges"
      id="charges"
      actions={
        <Button
          href={page.url(thisMonthsBill(encodeURIComponent(settings.account_number)))}
          label="Add or remove on the bill page"
          size="small"
        />
      }
    >
      {settings.line_items.length === 0 ? (
        <EmptyState title="No extra charges" />
      ) : (
        <Table columns={[{ label: "Name" }, { label: "When" }, { label: "Amount", numeric: true }]}>
          {settings.line_items.map((item) => (
            <tr>
              <Cell>{item.name}</Cell>
              <Cell>{chargeWhen(item)}</Cell>
              <Cell numeric>{money(item.amount_cents)}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

/** Everything that decides how one company is billed, each part with its form for who may bill. */
export function CompanyBillingSettingsPage({ features, ...card }: CardProps & { features: FeatureRow[] }) {
  const page = usePage();
  const { settings } = card;
  const acct = encodeURIComponent(settings.account_number);
  return (
    <>
      <PageHeader
        title={`Billing settings: ${settings.company_name}`}
        description={
          settings.plan
            ? `Account ${settings.account_number}, plan ${settings.plan.name} (${label(settings.plan.term)}).` +
              " Overrides replace the plan for this company only."
            : `Account ${settings.account_number}, no billing plan: rates are zero unless overridden.`
        }
        actions={
          <>
            <Button href={page.url(`/companies/${acct}`)} label="Company" />
            <Button href={page.url(thisMonthsBill(acct))} label="This month's bill" />
          </>
        }
      />
      <RatesCard {...card} />
      <AssetsCard {...card} />
      <UsersCard {...card} />
      <ManualCards {...card} />
      <FeaturesCard {...card} features={features} />
      <ChargesCard settings={settings} />
    </>
  );
}
