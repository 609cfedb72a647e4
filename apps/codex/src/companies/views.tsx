import { usePage } from "@hivematrix/lib/page";
import {
  Badge,
  Button,
  Card,
  Cell,
  Field,
  type FieldErrors,
  Form,
  FormActions,
  PageHeader,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { COMPLIANCE_LEVELS } from "../db/schema.ts";
import { label, qs, when } from "../shared/format.ts";
import { FormFields } from "../shared/form-fields.tsx";
import { CsvListActions, ListPage } from "../shared/list-page.tsx";
import { STALE_OPTIONS, StaleBadge, staleParam } from "../shared/stale.tsx";
import { COMPANY_FORM, type CompanyJson, type CompanyListQuery } from "./json.ts";

type Sort = CompanyListQuery["sort"];

export function CompanyListPage({
  items,
  next,
  query,
}: {
  items: CompanyJson[];
  next: string | null;
  query: CompanyListQuery;
}) {
  const page = usePage();
  const base = { q: query.q, compliance_level: query.compliance_level, stale: staleParam(query.stale) };
  const order = (sort: Sort) => (query.sort === sort && (query.order ?? "asc") === "asc" ? "desc" : "asc");
  const sortHref = (sort: Sort) => page.url(`/companies${qs({ ...base, sort, order: order(sort) })}`);
  const sorted = (sort: Sort) =>
    query.sort === sort ? (query.order ?? (sort === "updated_at" ? "desc" : "asc")) : undefined;
  const pageOf = (cursor?: string) =>
    page.url(`/companies${qs({ ...base, sort: query.sort, order: query.order, cursor })}`);
  return (
    <ListPage
      title="Companies"
      description="Client organisations with their plans, contracts, people and devices."
      actions={<CsvListActions kind="companies" create={{ href: "/companies/new", label: "New company" }} />}
      filters={{
        label: "Search companies",
        action: page.url("/companies"),
        search: { value: query.q, placeholder: "Name, account number or domain" },
        children: (
          <>
            <ToolbarGroup>
              <Field
                name="compliance_level"
                label="Compliance"
                type="select"
                value={query.compliance_level ?? ""}
                options={[
                  { value: "", label: "Any" },
                  ...COMPLIANCE_LEVELS.map((level) => ({ value: level, label: level.toUpperCase() })),
                ]}
              />
              <Field
                name="stale"
                label="Gone from the PSA"
                type="select"
                value={query.stale ?? "exclude"}
                options={STALE_OPTIONS}
              />
              <input type="hidden" name="sort" value={query.sort} />
              <Button label="Search" />
            </ToolbarGroup>
          </>
        ),
      }}
      columns={[
        { label: "Account", sortHref: sortHref("account_number"), sorted: sorted("account_number") },
        { label: "Name", sortHref: sortHref("name"), sorted: sorted("name") },
        { label: "Plan" },
        { label: "Compliance" },
        { label: "Updated", sortHref: sortHref("updated_at"), sorted: sorted("updated_at") },
      ]}
      rows={items.map((company) => (
        <tr>
          <Cell>{company.account_number}</Cell>
          <Cell>
            <a href={page.url(`/companies/${encodeURIComponent(company.account_number)}`)}>{company.name}</a>
            {company.stale_since && (
              <>
                {" "}
                <StaleBadge since={company.stale_since} />
              </>
            )}
          </Cell>
          <Cell>{company.billing_plan ? `${company.billing_plan} (${label(company.contract_term)})` : "—"}</Cell>
          <Cell>
            <Badge variant={company.compliance_level === "standard" ? "neutral" : "warning"}>
              {company.compliance_level}
            </Badge>
          </Cell>
          <Cell>{when(company.updated_at)}</Cell>
        </tr>
      ))}
      empty={{
        title: "No companies found",
        message: query.q ? `Nothing matches “${query.q}”.` : "Add one, import a CSV or run a sync.",
      }}
      prevHref={query.cursor ? pageOf() : null}
      nextHref={next ? pageOf(next) : null}
    />
  );
}

export function CompanyFormPage({
  mode,
  values,
  errors,
  plans,
}: {
  mode: "new" | "edit";
  values: Record<string, string>;
  errors: FieldErrors;
  /** The billing plans' names, to choose from. */
  plans: string[];
}) {
  const page = usePage();
  const account = values.account_number ?? "";
  const title = mode === "new" ? "New company" : `Edit ${values.name ?? account}`;
  const here = `/companies/${encodeURIComponent(account)}`;
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <Form
          action={mode === "new" ? page.url("/companies") : page.url(`${here}/edit`)}
          csrf={page.csrf}
          wide
          label={title}
        >
          {mode === "edit" && <input type="hidden" name="account_number" value={account} />}
          <FormFields
            fields={mode === "new" ? COMPANY_FORM : COMPANY_FORM.filter((field) => field.name !== "account_number")}
            values={values}
            errors={errors}
            extra={{
              account_number: { required: true },
              name: { required: true },
              billing_plan: {
                options: [{ value: "", label: "None" }, ...plans.map((name) => ({ value: name, label: name }))],
              },
            }}
          />
          <FormActions>
            <Button label={mode === "new" ? "Create company" : "Save"} variant="primary" />
            <Button href={page.url(mode === "new" ? "/companies" : here)} label="Cancel" variant="ghost" />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
