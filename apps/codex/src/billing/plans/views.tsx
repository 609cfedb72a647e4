import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  type FieldErrors,
  Form,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import { label, money } from "../../shared/format.ts";
import { canBill } from "../../shared/levels.ts";
import type { ImportProblem } from "./forms.ts";
import type { PlanJson } from "./json.ts";
import type { FeatureCatalog } from "./json-features.ts";

interface FormState {
  errors: FieldErrors;
  values: Record<string, string>;
}

const PLAN_COLUMNS = [
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
];

function PlanTable({ plans }: { plans: PlanJson[] }) {
  const page = usePage();
  if (plans.length === 0) return <EmptyState title="No plans yet" />;
  return (
    <Table columns={PLAN_COLUMNS}>
      {plans.map((plan) => (
        <tr>
          <Cell>{canBill(page) ? <a href={page.url(`/billing/plans/${plan.id}`)}>{plan.name}</a> : plan.name}</Cell>
          <Cell>{label(plan.term)}</Cell>
          <Cell numeric>{money(plan.per_user_cents)}</Cell>
          <Cell numeric>{money(plan.per_workstation_cents)}</Cell>
          <Cell numeric>{money(plan.per_server_cents)}</Cell>
          <Cell numeric>{money(plan.per_vm_cents)}</Cell>
          <Cell numeric>{money(plan.per_switch_cents)}</Cell>
          <Cell numeric>{money(plan.per_firewall_cents)}</Cell>
          <Cell numeric>{money(plan.per_hour_cents)}</Cell>
          <Cell>{plan.support_level}</Cell>
        </tr>
      ))}
    </Table>
  );
}

/** The add-a-category and add-an-option forms; a failed one comes back with its values (`form` names which). */
function FeatureForms({ catalog, errors, values }: FormState & { catalog: FeatureCatalog }) {
  const page = usePage();
  const ours = (form: string, name: string) => (values.form === form ? values[name] : "");
  const error = (form: string, name: string) => (values.form === form ? errors[name] : undefined);
  return (
    <>
      <Form action={page.url("/billing/features/categories")} csrf={page.csrf} inline label="Add a feature category">
        <Field
          name="key"
          label="Category key"
          value={ours("category", "key")}
          error={error("category", "key")}
          placeholder="antivirus"
        />
        <Field name="name" label="Category name" value={ours("category", "name")} error={error("category", "name")} />
        <input type="hidden" name="form" value="category" />
        <Button label="Add category" />
      </Form>
      {catalog.length > 0 && (
        <Form action={page.url("/billing/features/options")} csrf={page.csrf} inline label="Add a feature option">
          <Field
            name="category"
            label="Category"
            type="select"
            value={ours("option", "category")}
            options={catalog.map((category) => ({ value: category.key, label: category.name }))}
          />
          <Field
            name="value"
            label="Option"
            value={ours("option", "value")}
            error={error("option", "value")}
            placeholder="sentinelone"
          />
          <Field name="display_name" label="Shown as" value={ours("option", "display_name")} />
          <input type="hidden" name="form" value="option" />
          <Button label="Add option" />
        </Form>
      )}
    </>
  );
}

function ImportCard({ errors, problems }: { errors: FieldErrors; problems: ImportProblem[] }) {
  const page = usePage();
  return (
    <Card title="Import plans">
      {problems.length > 0 && (
        <Alert variant="error" title="Nothing was imported">
          <ul>
            {problems.map((problem) => (
              <li>{problem.field ? `${problem.field}: ${problem.message}` : problem.message}</li>
            ))}
          </ul>
        </Alert>
      )}
      <Form
        action={page.url("/billing/plans/import")}
        csrf={page.csrf}
        enctype="multipart/form-data"
        inline
        label="Import plans from a JSON export"
      >
        <Field name="file" label="Plans file (JSON, from Export JSON)" type="file" error={errors.file} />
        <Button label="Import" />
      </Form>
    </Card>
  );
}

/** Every plan with its rates, the feature catalog, and (for admins) plan import and export. */
export function PlansPage({
  plans,
  catalog,
  importProblems,
  ...form
}: FormState & { plans: PlanJson[]; catalog: FeatureCatalog; importProblems: ImportProblem[] }) {
  const page = usePage();
  return (
    <>
      <PageHeader
        title="Billing plans"
        description="Per-unit prices for each plan and contract term."
        actions={
          <>
            {canBill(page) && <Button href={page.url("/billing/plans/new")} label="New plan" variant="primary" />}
            {page.level === "admin" && <Button href={page.url("/api/billing-plans/export")} label="Export JSON" />}
          </>
        }
      />
      <Card>
        <PlanTable plans={plans} />
      </Card>
      <Card title="Feature options">
        {catalog.length === 0 ? (
          <EmptyState title="No feature categories yet" />
        ) : (
          <DescriptionList
            items={catalog.map((category) => ({
              term: category.name,
              detail: category.options.map((option) => option.display_name).join(", ") || "no options yet",
            }))}
          />
        )}
        {canBill(page) && <FeatureForms catalog={catalog} {...form} />}
      </Card>
      {page.level === "admin" && <ImportCard errors={form.errors} problems={importProblems} />}
    </>
  );
}
