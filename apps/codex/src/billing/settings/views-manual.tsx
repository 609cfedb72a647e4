import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, EmptyState, Field, Form, FormActions, Table } from "@hivematrix/lib/ui";
import { ASSET_BILLING_TYPES, USER_BILLING_TYPES } from "../../db/schema.ts";
import { canBill } from "../../shared/levels.ts";
import type { CardProps } from "./views.tsx";
import { ASSET_TYPE_LABEL, billedText, USER_TYPE_LABEL } from "./views-rows.tsx";

/** The billing settings page's devices and users added by hand: their lists and the forms that add them. */

function ManualTable(props: {
  base: string;
  rows: { id: number; name: string; billing: string; notes: string | null }[];
  noun: string;
}) {
  const page = usePage();
  if (props.rows.length === 0) return <EmptyState title={`No ${props.noun}s added by hand`} />;
  const remove = canBill(page);
  return (
    <Table
      columns={[{ label: "Name" }, { label: "Billed as" }, { label: "Notes" }, ...(remove ? [{ label: "" }] : [])]}
    >
      {props.rows.map((row) => (
        <tr>
          <Cell>{row.name}</Cell>
          <Cell>{row.billing}</Cell>
          <Cell>{row.notes ?? ""}</Cell>
          {remove && (
            <Cell>
              <Form
                action={page.url(`${props.base}/${row.id}/delete`)}
                csrf={page.csrf}
                inline
                label={`Remove ${row.name}`}
              >
                <Button label="Remove" variant="danger" size="small" />
              </Form>
            </Cell>
          )}
        </tr>
      ))}
    </Table>
  );
}

/** An "added by hand" form: its fields are `${prefix}<name>`. */
function ManualForm(props: {
  action: string;
  label: string;
  prefix: "ma_" | "mu_";
  nameField: { name: string; label: string };
  types: readonly string[];
  labels: Record<string, string>;
  firstType: string;
  button: string;
  errors: CardProps["errors"];
  values: CardProps["values"];
}) {
  const page = usePage();
  const { prefix, values, errors } = props;
  const field = (name: string) => ({ name: `${prefix}${name}`, value: values[`${prefix}${name}`] ?? "" });
  const nameField = field(props.nameField.name);
  return (
    <Form action={page.url(props.action)} csrf={page.csrf} wide label={props.label}>
      <Field {...nameField} label={props.nameField.label} required error={errors[nameField.name]} />
      <Field
        name={`${prefix}billing_type`}
        label="Billed as"
        type="select"
        value={values[`${prefix}billing_type`] ?? props.firstType}
        error={errors[`${prefix}billing_type`]}
        options={props.types.map((type) => ({ value: type, label: props.labels[type]! }))}
      />
      <Field
        {...field("price")}
        label="Custom price ($)"
        error={errors[`${prefix}price`]}
        hint="Only for a custom price."
      />
      <Field {...field("notes")} label="Notes" error={errors[`${prefix}notes`]} />
      <FormActions>
        <Button label={props.button} />
      </FormActions>
    </Form>
  );
}

export function ManualCards({ settings, errors, values }: CardProps) {
  const page = usePage();
  const base = `/companies/${encodeURIComponent(settings.account_number)}/billing`;
  const form = { errors, values };
  return (
    <>
      <Card title="Devices added by hand" id="manual-assets">
        <ManualTable
          base={`${base}/manual-assets`}
          rows={settings.manual_assets.map((asset) => ({
            id: asset.id,
            name: asset.hostname,
            billing: billedText(asset.billing_type, asset.custom_cents, ASSET_TYPE_LABEL),
            notes: asset.notes,
          }))}
          noun="device"
        />
        {canBill(page) && (
          <ManualForm
            action={`${base}/manual-assets`}
            label="Add a device by hand"
            prefix="ma_"
            nameField={{ name: "hostname", label: "Hostname or name" }}
            types={ASSET_BILLING_TYPES}
            labels={ASSET_TYPE_LABEL}
            firstType="workstation"
            button="Add device"
            {...form}
          />
        )}
      </Card>
      <Card title="Users added by hand" id="manual-users">
        <ManualTable
          base={`${base}/manual-users`}
          rows={settings.manual_users.map((user) => ({
            id: user.id,
            name: user.name,
            billing: billedText(user.billing_type, user.custom_cents, USER_TYPE_LABEL),
            notes: user.notes,
          }))}
          noun="user"
        />
        {canBill(page) && (
          <ManualForm
            action={`${base}/manual-users`}
            label="Add a user by hand"
            prefix="mu_"
            nameField={{ name: "name", label: "Name" }}
            types={USER_BILLING_TYPES}
            labels={USER_TYPE_LABEL}
            firstType="paid"
            button="Add user"
            {...form}
          />
        )}
      </Card>
    </>
  );
}
