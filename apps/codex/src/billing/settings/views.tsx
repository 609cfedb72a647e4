import {
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Table,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { ASSET_BILLING_TYPES, USER_BILLING_TYPES } from "../db/schema.ts";
import type { CompanyBillingSettings } from "../billing/settings.ts";
import { MONTHS, RATE_INPUTS, rateText } from "./billing.tsx";
import { Shell, type PageCtx } from "./shell.tsx";
import { canBill } from "../shared/levels.ts";
import { label, money, qs } from "../shared/format.ts";

export interface FeatureRow {
  key: string;
  name: string;
  plan: string | null;
  own: string | null;
  options: { value: string; display_name: string }[];
}

const ASSET_TYPE_LABEL: Record<string, string> = {
  workstation: "Workstation",
  server: "Server",
  vm: "VM",
  switch: "Switch",
  firewall: "Firewall",
  no_charge: "No charge",
  custom: "Custom price",
};
const USER_TYPE_LABEL: Record<string, string> = { paid: "Per-user rate", free: "Free", custom: "Custom price" };
const dollars = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? "" : (cents / 100).toFixed(2);
const billedText = (type: string, cents: number | null, labels: Record<string, string>) =>
  type === "custom" && cents !== null ? `Custom price, ${money(cents)}` : (labels[type] ?? type);

/** A rate as the form shows it: dollars, hours (prepaid time is stored in minutes) or TB. */
export function rateFormValue(kind: "money" | "minutes" | "tb", value: number): string {
  if (kind === "money") return dollars(value);
  if (kind === "minutes") return String(Math.round((value / 60) * 100) / 100);
  return String(value);
}
export const rateFormLabel = (name: string, text: string, kind: string) =>
  (kind === "minutes" ? text.replace("minutes", "hours") : text) || name;

export function CompanyBillingSettingsPage({
  p,
  s,
  features,
  errors,
  values,
  notice,
}: {
  p: PageCtx;
  s: CompanyBillingSettings;
  features: FeatureRow[];
  errors: FieldErrors;
  values: Record<string, string>;
  notice?: string | null;
}) {
  const acct = encodeURIComponent(s.account_number);
  const base = `/companies/${acct}/billing`;
  const edit = canBill(p);
  const now = new Date();
  const v = (name: string, fallback: string) => values[name] ?? fallback;
  // A re-shown rates form keeps what was sent: an unticked box is absent from it.
  const submitted = values.form === "rates";
  return (
    <Shell
      p={p}
      title={`Billing settings: ${s.company_name}`}
      section="billing"
      notice={
        notice
          ? { variant: "success", text: notice }
          : Object.keys(errors).length
            ? { variant: "error", text: "Nothing was saved: check the fields marked below." }
            : null
      }
    >
      <PageHeader
        title={`Billing settings: ${s.company_name}`}
        description={
          s.plan
            ? `Account ${s.account_number}, plan ${s.plan.name} (${label(s.plan.term)}). Overrides replace the plan for this company only.`
            : `Account ${s.account_number}, no billing plan: rates are zero unless overridden.`
        }
        actions={
          <>
            <Button href={p.url(`/companies/${acct}`)} label="Company" />
            <Button
              href={p.url(`/companies/${acct}/bill${qs({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })}`)}
              label="This month's bill"
            />
          </>
        }
      />

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
            const field = name as keyof typeof s.overrides;
            return (
              <tr>
                <Cell>{rateFormLabel(name, text, kind).replace(/ \(\$\)$/, "")}</Cell>
                <Cell numeric>{rateText(name, s.plan_rates[field])}</Cell>
                <Cell numeric>{s.overrides[field] === null ? "—" : rateText(name, s.overrides[field]!)}</Cell>
                <Cell numeric>{rateText(name, s.effective_rates[field])}</Cell>
              </tr>
            );
          })}
        </Table>
        {edit && (
          <Form action={p.url(`${base}/rates`)} csrf={p.csrf} wide label="Rate overrides">
            <input type="hidden" name="form" value="rates" />
            {RATE_INPUTS.map(([name, text, kind]) => {
              const field = name as keyof typeof s.overrides;
              const own = s.overrides[field];
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
                    value={v(name, rateFormValue(kind, own ?? s.parked_overrides[field] ?? s.plan_rates[field]))}
                    error={errors[name]}
                    hint={`Plan: ${rateText(name, s.plan_rates[field])}${own === null && s.parked_overrides[field] !== undefined ? ". Switched off; tick the box to use this value again." : ""}`}
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

      <Card title="How each device is billed" id="assets">
        {s.assets.length === 0 ? (
          <EmptyState title="No devices in Codex for this company" />
        ) : edit ? (
          <Form action={p.url(`${base}/assets`)} csrf={p.csrf} label="Device billing">
            <Table
              columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }, { label: "Custom price ($)" }]}
            >
              {s.assets.map((a) => (
                <tr>
                  <Cell>{a.hostname}</Cell>
                  <Cell>{label(a.asset_type)}</Cell>
                  <Cell>
                    <Field
                      name={`asset_${a.id}`}
                      label={`Bill ${a.hostname} as`}
                      type="select"
                      value={v(`asset_${a.id}`, a.billing_override?.billing_type ?? "")}
                      error={errors[`asset_${a.id}`]}
                      options={[
                        { value: "", label: `Its type (${label(a.asset_type)})` },
                        ...ASSET_BILLING_TYPES.map((t) => ({ value: t, label: ASSET_TYPE_LABEL[t]! })),
                      ]}
                    />
                  </Cell>
                  <Cell>
                    <Field
                      name={`asset_${a.id}_price`}
                      label={`Custom price for ${a.hostname}`}
                      value={v(`asset_${a.id}_price`, dollars(a.billing_override?.custom_cents))}
                      error={errors[`asset_${a.id}_price`]}
                    />
                  </Cell>
                </tr>
              ))}
            </Table>
            <FormActions>
              <Button label="Save device billing" variant="primary" />
            </FormActions>
          </Form>
        ) : (
          <Table columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }]}>
            {s.assets.map((a) => (
              <tr>
                <Cell>{a.hostname}</Cell>
                <Cell>{label(a.asset_type)}</Cell>
                <Cell>
                  {a.billing_override
                    ? billedText(a.billing_override.billing_type, a.billing_override.custom_cents, ASSET_TYPE_LABEL)
                    : "Its type"}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card title="How each user is billed" id="users">
        {s.users.length === 0 ? (
          <EmptyState title="No contacts for this company" />
        ) : edit ? (
          <Form action={p.url(`${base}/users`)} csrf={p.csrf} label="User billing">
            <Table
              columns={[{ label: "User" }, { label: "Active" }, { label: "Billed as" }, { label: "Custom price ($)" }]}
            >
              {s.users.map((u) => (
                <tr>
                  <Cell>{u.name}</Cell>
                  <Cell>{u.active ? "yes" : "no (not billed)"}</Cell>
                  <Cell>
                    <Field
                      name={`user_${u.id}`}
                      label={`Bill ${u.name} as`}
                      type="select"
                      value={v(
                        `user_${u.id}`,
                        u.billing_override && u.billing_override.billing_type !== "paid"
                          ? u.billing_override.billing_type
                          : "",
                      )}
                      error={errors[`user_${u.id}`]}
                      options={[
                        { value: "", label: USER_TYPE_LABEL.paid! },
                        { value: "free", label: USER_TYPE_LABEL.free! },
                        { value: "custom", label: USER_TYPE_LABEL.custom! },
                      ]}
                    />
                  </Cell>
                  <Cell>
                    <Field
                      name={`user_${u.id}_price`}
                      label={`Custom price for ${u.name}`}
                      value={v(`user_${u.id}_price`, dollars(u.billing_override?.custom_cents))}
                      error={errors[`user_${u.id}_price`]}
                    />
                  </Cell>
                </tr>
              ))}
            </Table>
            <FormActions>
              <Button label="Save user billing" variant="primary" />
            </FormActions>
          </Form>
        ) : (
          <Table columns={[{ label: "User" }, { label: "Active" }, { label: "Billed as" }]}>
            {s.users.map((u) => (
              <tr>
                <Cell>{u.name}</Cell>
                <Cell>{u.active ? "yes" : "no (not billed)"}</Cell>
                <Cell>
                  {u.billing_override
                    ? billedText(u.billing_override.billing_type, u.billing_override.custom_cents, USER_TYPE_LABEL)
                    : USER_TYPE_LABEL.paid}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card title="Devices added by hand" id="manual-assets">
        <ManualTable
          p={p}
          base={`${base}/manual-assets`}
          rows={s.manual_assets.map((m) => ({
            id: m.id,
            name: m.hostname,
            billing: billedText(m.billing_type, m.custom_cents, ASSET_TYPE_LABEL),
            notes: m.notes,
          }))}
          noun="device"
        />
        {edit && (
          <Form action={p.url(`${base}/manual-assets`)} csrf={p.csrf} wide label="Add a device by hand">
            <Field
              name="ma_hostname"
              label="Hostname or name"
              required
              value={values.ma_hostname ?? ""}
              error={errors.ma_hostname}
            />
            <Field
              name="ma_billing_type"
              label="Billed as"
              type="select"
              value={values.ma_billing_type ?? "workstation"}
              error={errors.ma_billing_type}
              options={ASSET_BILLING_TYPES.map((t) => ({ value: t, label: ASSET_TYPE_LABEL[t]! }))}
            />
            <Field
              name="ma_price"
              label="Custom price ($)"
              value={values.ma_price ?? ""}
              error={errors.ma_price}
              hint="Only for a custom price."
            />
            <Field name="ma_notes" label="Notes" value={values.ma_notes ?? ""} error={errors.ma_notes} />
            <FormActions>
              <Button label="Add device" />
            </FormActions>
          </Form>
        )}
      </Card>

      <Card title="Users added by hand" id="manual-users">
        <ManualTable
          p={p}
          base={`${base}/manual-users`}
          rows={s.manual_users.map((m) => ({
            id: m.id,
            name: m.name,
            billing: billedText(m.billing_type, m.custom_cents, USER_TYPE_LABEL),
            notes: m.notes,
          }))}
          noun="user"
        />
        {edit && (
          <Form action={p.url(`${base}/manual-users`)} csrf={p.csrf} wide label="Add a user by hand">
            <Field name="mu_name" label="Name" required value={values.mu_name ?? ""} error={errors.mu_name} />
            <Field
              name="mu_billing_type"
              label="Billed as"
              type="select"
              value={values.mu_billing_type ?? "paid"}
              error={errors.mu_billing_type}
              options={USER_BILLING_TYPES.map((t) => ({ value: t, label: USER_TYPE_LABEL[t]! }))}
            />
            <Field
              name="mu_price"
              label="Custom price ($)"
              value={values.mu_price ?? ""}
              error={errors.mu_price}
              hint="Only for a custom price."
            />
            <Field name="mu_notes" label="Notes" value={values.mu_notes ?? ""} error={errors.mu_notes} />
            <FormActions>
              <Button label="Add user" />
            </FormActions>
          </Form>
        )}
      </Card>

      <Card title="Features" id="features">
        {features.length === 0 ? (
          <EmptyState title="No feature categories yet" message="Add them on the billing plans page." />
        ) : edit ? (
          <Form action={p.url(`${base}/features`)} csrf={p.csrf} wide label="Feature overrides">
            {features.map((f) => (
              <Field
                name={`feature_${f.key}`}
                label={f.name}
                type="select"
                value={v(`feature_${f.key}`, f.own ?? "")}
                error={errors[`feature_${f.key}`] ?? errors[f.key]}
                options={[
                  {
                    value: "",
                    label: `Plan default (${f.options.find((o) => o.value === f.plan)?.display_name ?? "not included"})`,
                  },
                  ...f.options.map((o) => ({ value: o.value, label: o.display_name })),
                ]}
              />
            ))}
            <FormActions>
              <Button label="Save features" variant="primary" />
            </FormActions>
          </Form>
        ) : (
          <Table columns={[{ label: "Feature" }, { label: "Plan" }, { label: "This company" }]}>
            {features.map((f) => (
              <tr>
                <Cell>{f.name}</Cell>
                <Cell>{f.options.find((o) => o.value === f.plan)?.display_name ?? "not included"}</Cell>
                <Cell>
                  {f.own ? (f.options.find((o) => o.value === f.own)?.display_name ?? f.own) : "plan default"}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card
        title="Extra charges"
        id="charges"
        actions={
          <Button
            href={p.url(`/companies/${acct}/bill${qs({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })}`)}
            label="Add or remove on the bill page"
            size="small"
          />
        }
      >
        {s.line_items.length === 0 ? (
          <EmptyState title="No extra charges" />
        ) : (
          <Table columns={[{ label: "Name" }, { label: "When" }, { label: "Amount", numeric: true }]}>
            {s.line_items.map((i) => (
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
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Shell>
  );
}

function ManualTable({
  p,
  base,
  rows,
  noun,
}: {
  p: PageCtx;
  base: string;
  rows: { id: number; name: string; billing: string; notes: string | null }[];
  noun: string;
}) {
  if (rows.length === 0) return <EmptyState title={`No ${noun}s added by hand`} />;
  return (
    <Table
      columns={[{ label: "Name" }, { label: "Billed as" }, { label: "Notes" }, ...(canBill(p) ? [{ label: "" }] : [])]}
    >
      {rows.map((m) => (
        <tr>
          <Cell>{m.name}</Cell>
          <Cell>{m.billing}</Cell>
          <Cell>{m.notes ?? ""}</Cell>
          {canBill(p) && (
            <Cell>
              <Form action={p.url(`${base}/${m.id}/delete`)} csrf={p.csrf} inline label={`Remove ${m.name}`}>
                <Button label="Remove" variant="danger" size="small" />
              </Form>
            </Cell>
          )}
        </tr>
      ))}
    </Table>
  );
}
