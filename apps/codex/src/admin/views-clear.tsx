import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
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
  Toolbar,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { when } from "../shared/format.ts";
import { CLEAR_KINDS, type ClearKind, type ClearPlan, type ClearRecord, clearTotal, confirmPhrase } from "./json.ts";

const KIND_LABEL: Record<ClearKind, string> = {
  tickets: "Tickets",
  assets: "Assets",
  contacts: "Contacts",
  companies: "Companies",
  agents: "Agents",
  plans: "Billing plans",
  all: "Everything above",
};
const WHAT_GOES: Record<ClearKind, string> = {
  tickets: "Every ticket with its conversation and time entries (bills not yet accepted lose that time).",
  assets: "Every asset with its contact links and billing overrides.",
  contacts: "Every contact with its company and asset links and billing overrides; tickets keep the requester's name.",
  companies:
    "Every company without accepted bills, with its locations, assets, tickets, billing overrides, line items and " +
    "manual assets and users. Contacts stay (a contact may belong to several companies).",
  agents:
    "Every agent (HiveMatrix staff and PSA agents) with their saved settings; their tickets become unassigned. " +
    "The Keycloak agent sync, and each person's next visit to My settings, bring staff back.",
  plans:
    "Every billing plan no company is on, with the feature categories and options no remaining plan or company uses.",
  all:
    "Tickets, assets, contacts, every company without accepted bills, agents, and the billing plans and feature " +
    "catalog no remaining company uses: everything the demo data adds.",
};

function WhatThereIs({ plan }: { plan: ClearPlan }) {
  const rows: [string, number][] = [
    ["Tickets", plan.tickets],
    ["Assets", plan.assets],
    ["Contacts", plan.contacts],
    ["Companies (without accepted bills)", plan.companies],
    ["Companies with accepted bills (always kept)", plan.companiesKept],
    ["Agents", plan.agents],
    ["Billing plans no company is on", plan.plans],
  ];
  return (
    <Card title="What there is">
      <Table columns={[{ label: "Kind" }, { label: "Records", numeric: true }]}>
        {rows.map(([kind, total]) => (
          <tr>
            <Cell>{kind}</Cell>
            <Cell numeric>{total.toLocaleString("en-US")}</Cell>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

function Confirm({
  plan,
  kind,
  errors,
  confirm,
}: {
  plan: ClearPlan;
  kind: ClearKind;
  errors: FieldErrors;
  confirm: string;
}) {
  const page = usePage();
  const total = clearTotal(plan, kind);
  const phrase = confirmPhrase(plan, kind);
  return (
    <Card title={`2. Confirm: ${KIND_LABEL[kind].toLowerCase()}`}>
      <p>{WHAT_GOES[kind]}</p>
      {total === 0 ? (
        <EmptyState title="Nothing to delete" />
      ) : (
        <>
          <Alert variant="warning" title="This cannot be undone">
            {`Type ${phrase} to confirm. The accepted bills and the audit log stay.`}
          </Alert>
          <Form action={page.url("/admin/clear-data")} csrf={page.csrf} label={`Clear ${kind}`}>
            <input type="hidden" name="kind" value={kind} />
            <Field
              name="confirm"
              label={`Type ${phrase}`}
              value={confirm}
              error={errors.confirm}
              required
              autocomplete="off"
            />
            <FormActions>
              <Button
                label={`Delete ${total.toLocaleString("en-US")} ${kind === "all" ? "records" : kind}`}
                variant="danger"
              />
              <Button href={page.url("/admin/clear-data")} label="Cancel" variant="ghost" />
            </FormActions>
          </Form>
        </>
      )}
    </Card>
  );
}

function PastClears({ history }: { history: ClearRecord[] }) {
  if (history.length === 0) return <EmptyState title="Nothing has been cleared" />;
  return (
    <Table columns={[{ label: "When" }, { label: "Who" }, { label: "Kind" }, { label: "Counts" }]}>
      {history.map((record) => (
        <tr>
          <Cell>{when(record.at)}</Cell>
          <Cell>{record.actor}</Cell>
          <Cell>{record.entity}</Cell>
          <Cell>
            {Object.entries(record.before ?? {})
              .filter(([name]) => name !== "clear_data")
              .map(([name, value]) => `${name.replace(/_/g, " ")}: ${value}`)
              .join(", ")}
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

export function ClearDataPage({
  plan,
  kind,
  errors,
  confirm,
  history,
}: {
  plan: ClearPlan;
  kind: ClearKind | null;
  errors: FieldErrors;
  confirm: string;
  history: ClearRecord[];
}) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Clear data"
        description="Delete every record of a kind, for instance before a fresh sync. This cannot be undone."
        actions={<Button href={page.url("/admin")} label="Back to admin" />}
      />
      <WhatThereIs plan={plan} />
      <Card title="1. Choose what to clear">
        <Toolbar label="Choose what to clear" action={page.url("/admin/clear-data")}>
          <ToolbarGroup>
            <Field
              name="kind"
              label="Clear"
              type="select"
              error={errors.kind}
              value={kind ?? ""}
              options={[
                { value: "", label: "Choose…" },
                ...CLEAR_KINDS.map((value) => ({ value, label: KIND_LABEL[value] })),
              ]}
            />
            <Button label="Continue" />
          </ToolbarGroup>
        </Toolbar>
      </Card>
      {kind && <Confirm plan={plan} kind={kind} errors={errors} confirm={confirm} />}
      <Card title="Past clears">
        <PastClears history={history} />
      </Card>
    </>
  );
}
