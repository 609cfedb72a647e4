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
import { qs } from "../shared/format.ts";
import { FormFields } from "../shared/form-fields.tsx";
import { CompanyFilter, CsvListActions, ListPage } from "../shared/list-page.tsx";
import { CONTACT_FORM, type CONTACT_STATUSES, type ContactJson } from "./json.ts";

export function ContactListPage({
  items,
  next,
  query,
}: {
  items: ContactJson[];
  next: string | null;
  query: { q?: string; company?: string; cursor?: string; status: (typeof CONTACT_STATUSES)[number] };
}) {
  const page = usePage();
  const base = { q: query.q, company: query.company, status: query.status === "active" ? undefined : query.status };
  return (
    <ListPage
      title="Contacts"
      description="People at client companies; one person can belong to several companies."
      actions={<CsvListActions kind="contacts" create={{ href: "/contacts/new", label: "New contact" }} />}
      filters={{
        label: "Search contacts",
        action: page.url("/contacts"),
        search: { value: query.q, placeholder: "Name, email or phone" },
        children: (
          <>
            <ToolbarGroup>
              <CompanyFilter value={query.company} />
              <Field
                name="status"
                label="Status"
                type="select"
                value={query.status}
                options={[
                  { value: "active", label: "Active" },
                  { value: "inactive", label: "Inactive" },
                  { value: "all", label: "Active and inactive" },
                ]}
              />
              <Button label="Search" />
            </ToolbarGroup>
          </>
        ),
      }}
      columns={[
        { label: "Name" },
        { label: "Email" },
        { label: "Job title" },
        { label: "Companies" },
        { label: "Status" },
      ]}
      rows={items.map((contact) => (
        <tr>
          <Cell>
            <a href={page.url(`/contacts/${contact.id}`)}>{contact.name}</a>
          </Cell>
          <Cell>{contact.email ?? "—"}</Cell>
          <Cell>{contact.job_title ?? "—"}</Cell>
          <Cell>{contact.companies.join(", ") || "—"}</Cell>
          <Cell>
            {contact.active ? <Badge variant="success">active</Badge> : <Badge>inactive</Badge>}
            {contact.vip && (
              <>
                {" "}
                <Badge variant="warning">VIP</Badge>
              </>
            )}
          </Cell>
        </tr>
      ))}
      empty={{ title: "No contacts found" }}
      prevHref={query.cursor ? page.url(`/contacts${qs(base)}`) : null}
      nextHref={next ? page.url(`/contacts${qs({ ...base, cursor: next })}`) : null}
    />
  );
}

export function ContactFormPage({
  mode,
  id,
  values,
  errors,
}: {
  mode: "new" | "edit";
  id?: number;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const page = usePage();
  const title = mode === "new" ? "New contact" : `Edit ${values.name ?? "contact"}`;
  return (
    <>
      <PageHeader title={title} />
      <Card>
        <Form
          action={mode === "new" ? page.url("/contacts") : page.url(`/contacts/${id}/edit`)}
          csrf={page.csrf}
          wide
          label={title}
        >
          <FormFields
            fields={CONTACT_FORM}
            values={values}
            errors={errors}
            extra={{ name: { required: true, autofocus: true }, companies: { required: mode === "new" } }}
          />
          <FormActions>
            <Button label={mode === "new" ? "Add contact" : "Save"} variant="primary" />
            <Button
              href={mode === "new" ? page.url("/contacts") : page.url(`/contacts/${id}`)}
              label="Cancel"
              variant="ghost"
            />
          </FormActions>
        </Form>
      </Card>
    </>
  );
}
