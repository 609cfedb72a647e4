import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, EmptyState, Field, Form, FormActions, Table } from "@hivematrix/lib/ui";
import { ASSET_BILLING_TYPES } from "../../db/schema.ts";
import { label, money } from "../../shared/format.ts";
import { canBill } from "../../shared/levels.ts";
import { dollars } from "../form-values.ts";
import type { CardProps } from "./views.tsx";

/** The billing settings page's devices and users in Codex: how each is billed. */

export const ASSET_TYPE_LABEL: Record<string, string> = {
  workstation: "Workstation",
  server: "Server",
  vm: "VM",
  switch: "Switch",
  firewall: "Firewall",
  no_charge: "No charge",
  custom: "Custom price",
};
export const USER_TYPE_LABEL: Record<string, string> = { paid: "Per-user rate", free: "Free", custom: "Custom price" };

export const billedText = (type: string, cents: number | null, labels: Record<string, string>) =>
  type === "custom" && cents !== null ? `Custom price, ${money(cents)}` : (labels[type] ?? type);

type Override = { billing_type: string; custom_cents: number | null } | null;

/** A row's "billed as" select and custom price, named `${prefix}${id}` and `${prefix}${id}_price`. */
function OverrideCells(props: {
  name: string;
  what: string;
  selected: string;
  override: Override;
  options: { value: string; label: string }[];
  errors: CardProps["errors"];
  values: CardProps["values"];
}) {
  const { name, values, errors } = props;
  return (
    <>
      <Cell>
        <Field
          name={name}
          label={`Bill ${props.what} as`}
          type="select"
          value={values[name] ?? props.selected}
          error={errors[name]}
          options={props.options}
        />
      </Cell>
      <Cell>
        <Field
          name={`${name}_price`}
          label={`Custom price for ${props.what}`}
          value={values[`${name}_price`] ?? dollars(props.override?.custom_cents)}
          error={errors[`${name}_price`]}
        />
      </Cell>
    </>
  );
}

export function AssetsCard({ settings, errors, values }: CardProps) {
  const page = usePage();
  const base = `/companies/${encodeURIComponent(settings.account_number)}/billing`;
  const { assets } = settings;
  return (
    <Card title="How each device is billed" id="assets">
      {assets.length === 0 ? (
        <EmptyState title="No devices in Codex for this company" />
      ) : canBill(page) ? (
        <Form action={page.url(`${base}/assets`)} csrf={page.csrf} label="Device billing">
          <Table
            columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }, { label: "Custom price ($)" }]}
          >
            {assets.map((asset) => (
              <tr>
                <Cell>{asset.hostname}</Cell>
                <Cell>{label(asset.asset_type)}</Cell>
                <OverrideCells
                  name={`asset_${asset.id}`}
                  what={asset.hostname}
                  selected={asset.billing_override?.billing_type ?? ""}
                  override={asset.billing_override}
                  options={[
                    { value: "", label: `Its type (${label(asset.asset_type)})` },
                    ...ASSET_BILLING_TYPES.map((type) => ({ value: type, label: ASSET_TYPE_LABEL[type]! })),
                  ]}
                  errors={errors}
                  values={values}
                />
              </tr>
            ))}
          </Table>
          <FormActions>
            <Button label="Save device billing" variant="primary" />
          </FormActions>
        </Form>
      ) : (
        <Table columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }]}>
          {assets.map((asset) => (
            <tr>
              <Cell>{asset.hostname}</Cell>
              <Cell>{label(asset.asset_type)}</Cell>
              <Cell>
                {asset.billing_override
                  ? billedText(
                      asset.billing_override.billing_type,
                      asset.billing_override.custom_cents,
                      ASSET_TYPE_LABEL,
                    )
                  : "Its type"}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

export function UsersCard({ settings, errors, values }: CardProps) {
  const page = usePage();
  const base = `/companies/${encodeURIComponent(settings.account_number)}/billing`;
  const { users } = settings;
  const active = (user: { active: boolean }) => (user.active ? "yes" : "no (not billed)");
  return (
    <Card title="How each user is billed" id="users">
      {users.length === 0 ? (
        <EmptyState title="No contacts for this company" />
      ) : canBill(page) ? (
        <Form action={page.url(`${base}/users`)} csrf={page.csrf} label="User billing">
          <Table
            columns={[{ label: "User" }, { label: "Active" }, { label: "Billed as" }, { label: "Custom price ($)" }]}
          >
            {users.map((user) => (
              <tr>
                <Cell>{user.name}</Cell>
                <Cell>{active(user)}</Cell>
                <OverrideCells
                  name={`user_${user.id}`}
                  what={user.name}
                  selected={
                    user.billing_override && user.billing_override.billing_type !== "paid"
                      ? user.billing_override.billing_type
                      : ""
                  }
                  override={user.billing_override}
                  options={[
                    { value: "", label: USER_TYPE_LABEL.paid! },
                    { value: "free", label: USER_TYPE_LABEL.free! },
                    { value: "custom", label: USER_TYPE_LABEL.custom! },
                  ]}
                  errors={errors}
                  values={values}
                />
              </tr>
            ))}
          </Table>
          <FormActions>
            <Button label="Save user billing" variant="primary" />
          </FormActions>
        </Form>
      ) : (
        <Table columns={[{ label: "User" }, { label: "Active" }, { label: "Billed as" }]}>
          {users.map((user) => (
            <tr>
              <Cell>{user.name}</Cell>
              <Cell>{active(user)}</Cell>
              <Cell>
                {user.billing_override
                  ? billedText(user.billing_override.billing_type, user.billing_override.custom_cents, USER_TYPE_LABEL)
                  : USER_TYPE_LABEL.paid}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
