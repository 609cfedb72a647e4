import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Field, type FieldErrors, Form, FormActions, PageHeader } from "@hivematrix/lib/ui";
import { CONTRACT_TERMS } from "../../db/schema.ts";
import { label } from "../../shared/format.ts";
import { RATE_INPUTS } from "../rates.ts";
import type { FeatureCatalog } from "./json-features.ts";

/** A new plan's form, or a stored plan's with its delete and copy-terms forms. */
export function PlanFormPage({
  id,
  values,
  errors,
  catalog,
}: {
  id: number | null;
  values: Record<string, string>;
  errors: FieldErrors;
  catalog: FeatureCatalog;
}) {
  const page = usePage();
  const title = id ? `Edit ${values.name ?? "plan"}` : "New billing plan";
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <Form action={page.url(id ? `/billing/plans/${id}` : "/billing/plans")} csrf={page.csrf} wide label={title}>
          <Field name="name" label="Plan name" required value={values.name ?? ""} error={errors.name} />
          <Field
            name="term"
            label="Contract term"
            type="select"
            value={values.term ?? "month_to_month"}
            error={errors.term}
            options={CONTRACT_TERMS.map((term) => ({ value: term, label: label(term) }))}
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
          {catalog.map((category) => (
            <Field
              name={`feature_${category.key}`}
              label={category.name}
              type="select"
              value={values[`feature_${category.key}`] ?? ""}
              error={errors[category.key]}
              options={[
                { value: "", label: "Not included" },
                ...category.options.map((option) => ({ value: option.value, label: option.display_name })),
              ]}
            />
          ))}
          <FormActions>
            <Button label={id ? "Save plan" : "Create plan"} variant="primary" />
            <Button href={page.url("/billing/plans")} label="Cancel" variant="ghost" />
          </FormActions>
        </Form>
        {id && (
          <Form action={page.url(`/billing/plans/${id}/delete`)} csrf={page.csrf} inline label="Delete this plan">
            <Button label="Delete plan" variant="danger" />
          </Form>
        )}
      </Card>
      {id && (
        <Card title="Copy terms">
          <Form
            action={page.url(`/billing/plans/${id}/copy-terms`)}
            csrf={page.csrf}
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
    </>
  );
}
