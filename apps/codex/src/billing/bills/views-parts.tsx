import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, EmptyState, Field, Table, Toolbar, ToolbarGroup } from "@hivematrix/lib/ui";
import { label, money } from "../../shared/format.ts";
import type { BillAdjustments } from "../engine/types.ts";
import { MONTH_OPTIONS, MONTHS } from "../months.ts";
import { rateLabel, rateText } from "../rates.ts";
import type { BillView } from "./json.ts";

/** Pieces of the bill pages that the archive and the billing settings show too. */

export function PeriodPicker({ action, year, month }: { action: string; year: number; month: number }) {
  return (
    <Toolbar label="Choose the month" action={usePage().url(action)}>
      <ToolbarGroup>
        <Field name="month" label="Month" type="select" value={String(month)} options={MONTH_OPTIONS} />
        <Field name="year" label="Year" type="number" value={year} min="2000" />
        <Button label="Show" />
      </ToolbarGroup>
    </Toolbar>
  );
}

/** When an extra charge is billed, in words. */
export function chargeWhen(item: { kind: string; year: number | null; month: number | null }): string {
  if (item.kind === "monthly") return "every month";
  const month = MONTHS[(item.month ?? 1) - 1];
  return item.kind === "yearly" ? `every ${month}` : `${month} ${item.year}`;
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
      {bill.lines.map((line) => (
        <tr>
          <Cell>{line.description}</Cell>
          <Cell numeric>{line.quantity}</Cell>
          <Cell numeric>{money(line.unit_cents)}</Cell>
          <Cell numeric>{money(line.amount_cents)}</Cell>
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

/**
 * Which of a bill's figures came from the company's overrides and hand-added items, rather
 * than its plan and records.
 */
export function AdjustmentsCard({ adjustments }: { adjustments: BillAdjustments }) {
  const { rates, assets, users, manual_assets: manualAssets, manual_users: manualUsers } = adjustments;
  const none = rates.length + assets.length + users.length + manualAssets.length + manualUsers.length === 0;
  return (
    <Card title="Overrides in this bill">
      {none ? (
        <EmptyState
          title="Nothing overridden"
          message="Every rate comes from the plan, and every device and user is billed as what it is."
        />
      ) : (
        <>
          {rates.length > 0 && (
            <Table
              caption="Rates this company pays instead of its plan's"
              columns={[{ label: "Rate" }, { label: "Plan", numeric: true }, { label: "This company", numeric: true }]}
            >
              {rates.map((rate) => (
                <tr>
                  <Cell>{rateLabel(rate.field)}</Cell>
                  <Cell numeric>{rateText(rate.field, rate.plan)}</Cell>
                  <Cell numeric>{rateText(rate.field, rate.override)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {assets.length > 0 && (
            <Table
              caption="Devices billed differently"
              columns={[{ label: "Device" }, { label: "Type" }, { label: "Billed as" }]}
            >
              {assets.map((asset) => (
                <tr>
                  <Cell>{asset.hostname}</Cell>
                  <Cell>{label(asset.asset_type)}</Cell>
                  <Cell>{billedAs(asset.billed_as, asset.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {users.length > 0 && (
            <Table caption="Users billed differently" columns={[{ label: "User" }, { label: "Billed as" }]}>
              {users.map((user) => (
                <tr>
                  <Cell>{user.name}</Cell>
                  <Cell>{billedAs(user.billed_as, user.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {manualAssets.length + manualUsers.length > 0 && (
            <Table
              caption="Added by hand"
              columns={[{ label: "Device or user" }, { label: "Kind" }, { label: "Billed as" }]}
            >
              {manualAssets.map((asset) => (
                <tr>
                  <Cell>{asset.hostname}</Cell>
                  <Cell>device</Cell>
                  <Cell>{billedAs(asset.billed_as, asset.custom_cents)}</Cell>
                </tr>
              ))}
              {manualUsers.map((user) => (
                <tr>
                  <Cell>{user.name}</Cell>
                  <Cell>user</Cell>
                  <Cell>{billedAs(user.billed_as, user.custom_cents)}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </Card>
  );
}
