import {
  Alert,
  Button,
  Card,
  Cell,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import { CLEAR_KINDS, clearTotal, confirmPhrase, type ClearKind, type ClearPlan } from "../data/clear.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { when } from "../shared/format.ts";

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
    "Every company without accepted bills, with its locations, assets, tickets, billing overrides, line items and manual assets and users. Contacts stay (a contact may belong to several companies).",
  agents:
    "Every agent (HiveMatrix staff and PSA agents) with their saved settings; their tickets become unassigned. The Keycloak agent sync, and each person's next visit to My settings, bring staff back.",
  plans:
    "Every billing plan no company is on, with the feature categories and options no remaining plan or company uses.",
  all: "Tickets, assets, contacts, every company without accepted bills, agents, and the billing plans and feature catalog no remaining company uses: everything the demo data adds.",
};

export interface ClearRecord {
  at: Date;
  actor: string;
  entity: string;
  before: Record<string, unknown> | null;
}

export function ClearDataPage({
  p,
  plan,
  kind,
  errors,
  confirm,
  cleared,
  history,
}: {
  p: PageCtx;
  plan: ClearPlan;
  kind: ClearKind | null;
  errors: FieldErrors;
  confirm: string;
  cleared: boolean;
  history: ClearRecord[];
}) {
  const total = kind ? clearTotal(plan, kind) : 0;
  return (
    <Shell
      p={p}
      title="Clear data"
      section="admin"
      notice={
        cleared
          ? { variant: "success", text: "Cleared. The audit log below has the counts." }
          : Object.keys(errors).length
            ? { variant: "error", text: "Nothing was deleted: check the form below." }
            : null
      }
    >
      <PageHeader
        title="Clear data"
        description="Delete every record of a kind, for instance before a fresh sync. This cannot be undone."
        actions={<Button href={p.url("/admin")} label="Back to admin" />}
      />
      <Card title="What there is">
        <Table columns={[{ label: "Kind" }, { label: "Records", numeric: true }]}>
          <tr>
            <Cell>Tickets</Cell>
            <Cell numeric>{plan.tickets.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Assets</Cell>
            <Cell numeric>{plan.assets.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Contacts</Cell>
            <Cell numeric>{plan.contacts.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Companies (without accepted bills)</Cell>
            <Cell numeric>{plan.companies.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Companies with accepted bills (always kept)</Cell>
            <Cell numeric>{plan.companiesKept.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Agents</Cell>
            <Cell numeric>{plan.agents.toLocaleString("en-US")}</Cell>
          </tr>
          <tr>
            <Cell>Billing plans no company is on</Cell>
            <Cell numeric>{plan.plans.toLocaleString("en-US")}</Cell>
          </tr>
        </Table>
      </Card>
      <Card title="1. Choose what to clear">
        <Toolbar label="Choose what to clear" action={p.url("/admin/clear-data")}>
          <ToolbarGroup>
            <Field
              name="kind"
              label="Clear"
              type="select"
              error={errors.kind}
              value={kind ?? ""}
              options={[
                { value: "", label: "Choose…" },
                ...CLEAR_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] })),
              ]}
            />
            <Button label="Continue" />
          </ToolbarGroup>
        </Toolbar>
      </Card>
      {kind && (
        <Card title={`2. Confirm: ${KIND_LABEL[kind].toLowerCase()}`}>
          <p>{WHAT_GOES[kind]}</p>
          {total === 0 ? (
            <EmptyState title="Nothing to delete" />
          ) : (
            <>
              <Alert
                variant="warning"
                title="This cannot be undone"
              >{`Type ${confirmPhrase(plan, kind)} to confirm. The accepted bills and the audit log stay.`}</Alert>
              <Form action={p.url("/admin/clear-data")} csrf={p.csrf} label={`Clear ${kind}`}>
                <input type="hidden" name="kind" value={kind} />
                <Field
                  name="confirm"
                  label={`Type ${confirmPhrase(plan, kind)}`}
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
                  <Button href={p.url("/admin/clear-data")} label="Cancel" variant="ghost" />
                </FormActions>
              </Form>
            </>
          )}
        </Card>
      )}
      <Card title="Past clears">
        {history.length === 0 ? (
          <EmptyState title="Nothing has been cleared" />
        ) : (
          <Table columns={[{ label: "When" }, { label: "Who" }, { label: "Kind" }, { label: "Counts" }]}>
            {history.map((r) => (
              <tr>
                <Cell>{when(r.at)}</Cell>
                <Cell>{r.actor}</Cell>
                <Cell>{r.entity}</Cell>
                <Cell>
                  {Object.entries(r.before ?? {})
                    .filter(([k]) => k !== "clear_data")
                    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`)
                    .join(", ")}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </Shell>
  );
}
