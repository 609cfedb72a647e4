import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  PageHeader,
  Pagination,
  Table,
  Toolbar,
  ToolbarGroup,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { CompanyJson } from "../data/companies.ts";
import { COMPLIANCE_LEVELS, CONTRACT_TERMS } from "../db/schema.ts";
import type { PsaLinks } from "../integrations/psa-links.ts";
import { PsaLink } from "./psa.tsx";
import { Shell, type PageCtx } from "./shell.tsx";
import { canBill, canWriteData } from "../shared/levels.ts";
import { label, qs, when } from "../shared/format.ts";
import { STALE_OPTIONS, StaleBadge, staleParam } from "../shared/stale.tsx";

type Sort = "name" | "account_number" | "updated_at";

export function CompanyListPage(props: {
  p: PageCtx;
  items: CompanyJson[];
  next: string | null;
  query: { q?: string; sort: Sort; order?: "asc" | "desc"; compliance_level?: string; stale?: string; cursor?: string };
  notice?: string | null;
}) {
  const { p, query } = props;
  const base = { q: query.q, compliance_level: query.compliance_level, stale: staleParam(query.stale) };
  const sortHref = (s: Sort) =>
    p.url(
      `/companies${qs({ ...base, sort: s, order: query.sort === s && (query.order ?? "asc") === "asc" ? "desc" : "asc" })}`,
    );
  const sorted = (s: Sort) => (query.sort === s ? (query.order ?? (s === "updated_at" ? "desc" : "asc")) : undefined);
  return (
    <Shell
      p={p}
      title="Companies"
      section="companies"
      notice={props.notice ? { variant: "info", text: props.notice } : null}
    >
      <PageHeader
        title="Companies"
        description="Client organisations with their plans, contracts, people and devices."
        actions={
          <>
            <Button href={p.url("/api/companies/export.csv")} label="Export CSV" />
            {canWriteData(p) && <Button href={p.url("/import/companies")} label="Import CSV" />}
            {canWriteData(p) && <Button href={p.url("/companies/new")} label="New company" variant="primary" />}
          </>
        }
      />
      <Toolbar label="Search companies" action={p.url("/companies")}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search"
            type="search"
            value={query.q ?? ""}
            placeholder="Name, account number or domain"
          />
        </ToolbarGroup>
        <ToolbarGroup>
          <Field
            name="compliance_level"
            label="Compliance"
            type="select"
            value={query.compliance_level ?? ""}
            options={[
              { value: "", label: "Any" },
              ...COMPLIANCE_LEVELS.map((c) => ({ value: c, label: c.toUpperCase() })),
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
      </Toolbar>
      <Card>
        {props.items.length === 0 ? (
          <EmptyState
            title="No companies found"
            message={query.q ? `Nothing matches “${query.q}”.` : "Add one, import a CSV or run a sync."}
          />
        ) : (
          <Table
            columns={[
              { label: "Account", sortHref: sortHref("account_number"), sorted: sorted("account_number") },
              { label: "Name", sortHref: sortHref("name"), sorted: sorted("name") },
              { label: "Plan" },
              { label: "Compliance" },
              { label: "Updated", sortHref: sortHref("updated_at"), sorted: sorted("updated_at") },
            ]}
          >
            {props.items.map((c) => (
              <tr>
                <Cell>{c.account_number}</Cell>
                <Cell>
                  <a href={p.url(`/companies/${encodeURIComponent(c.account_number)}`)}>{c.name}</a>
                  {c.stale_since && (
                    <>
                      {" "}
                      <StaleBadge since={c.stale_since} />
                    </>
                  )}
                </Cell>
                <Cell>{c.billing_plan ? `${c.billing_plan} (${label(c.contract_term)})` : "—"}</Cell>
                <Cell>
                  <Badge variant={c.compliance_level === "standard" ? "neutral" : "warning"}>
                    {c.compliance_level}
                  </Badge>
                </Cell>
                <Cell>{when(c.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={query.cursor ? p.url(`/companies${qs({ ...base, sort: query.sort, order: query.order })}`) : null}
          nextHref={
            props.next
              ? p.url(`/companies${qs({ ...base, sort: query.sort, order: query.order, cursor: props.next })}`)
              : null
          }
          info={`${props.items.length} shown`}
        />
      </Card>
    </Shell>
  );
}

export interface RelatedRows {
  contacts: { id: number; name: string; email: string | null; job_title: string | null }[];
  assets: { id: number; hostname: string; asset_type: string; operating_system: string | null; online: boolean }[];
  /** Stale assets are left out of `assets` and counted here. */
  staleAssets: number;
  locations: { id: number; name: string; address: string | null; phone: string | null }[];
  tickets: { id: number; subject: string; status: string; priority: string; updated_at: string }[];
  features: { name: string; display_name: string | null; source: string }[];
}

export function CompanyDetailPage({
  p,
  company,
  related,
  notice,
  locationErrors,
  locationValues,
  psa,
}: {
  p: PageCtx;
  company: CompanyJson;
  related: RelatedRows;
  notice?: string | null;
  locationErrors?: FieldErrors;
  locationValues?: Record<string, string>;
  psa?: PsaLinks | null;
}) {
  const acct = encodeURIComponent(company.account_number);
  const now = new Date();
  return (
    <Shell p={p} title={company.name} section="companies" notice={notice ? { variant: "success", text: notice } : null}>
      <PageHeader
        title={company.name}
        description={`Account ${company.account_number}`}
        actions={
          <>
            {p.level !== "client" && <PsaLink psa={psa} kind="company" record={company} />}
            {canWriteData(p) && <Button href={p.url(`/companies/${acct}/edit`)} label="Edit" />}
            {p.level !== "technician" && (
              <Button
                href={p.url(
                  `/companies/${acct}/bill${qs({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })}`,
                )}
                label="Bill this month"
              />
            )}
          </>
        }
      />
      {company.stale_since && (
        <Alert variant="warning" title={`Stale since ${when(company.stale_since)}`}>
          {`The last complete sync from ${company.external_source ?? "the PSA"} no longer found this company. It is kept with its history; the mark clears if it comes back.`}
        </Alert>
      )}
      <Card title="Overview">
        <DescriptionList
          items={[
            {
              term: "Account number",
              detail: company.stale_since ? (
                <>
                  {company.account_number} <StaleBadge since={company.stale_since} />
                </>
              ) : (
                company.account_number
              ),
            },
            { term: "Domain", detail: company.domain },
            { term: "Phone", detail: company.phone },
            { term: "Address", detail: company.address },
            { term: "Compliance", detail: company.compliance_level.toUpperCase() },
            { term: "Billing plan", detail: company.billing_plan },
            { term: "Contract term", detail: company.contract_term ? label(company.contract_term) : null },
            { term: "Support level", detail: company.support_level },
            {
              term: "Contract",
              detail:
                company.contract_start || company.contract_end
                  ? `${company.contract_start ?? "?"} to ${company.contract_end ?? "?"}`
                  : null,
            },
            { term: "Email system", detail: company.email_system },
            { term: "Phone system", detail: company.phone_system },
            { term: "Company head", detail: company.head_name },
            { term: "Prime user", detail: company.prime_user_name },
            { term: "Notes", detail: company.notes },
            {
              term: "Synced from",
              detail: company.external_source ? `${company.external_source} #${company.external_id}` : null,
            },
          ]}
        />
      </Card>
      <Card
        title={`Contacts (${related.contacts.length})`}
        actions={
          canWriteData(p) && (
            <Button
              href={p.url(`/contacts/new${qs({ company: company.account_number })}`)}
              label="Add contact"
              size="small"
            />
          )
        }
      >
        {related.contacts.length === 0 ? (
          <EmptyState title="No contacts yet" />
        ) : (
          <Table columns={[{ label: "Name" }, { label: "Email" }, { label: "Job title" }]}>
            {related.contacts.map((x) => (
              <tr>
                <Cell>
                  <a href={p.url(`/contacts/${x.id}`)}>{x.name}</a>
                </Cell>
                <Cell>{x.email ?? "—"}</Cell>
                <Cell>{x.job_title ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card
        title={`Assets (${related.assets.length})`}
        actions={
          related.staleAssets > 0 && (
            <Button
              href={p.url(`/assets${qs({ company: company.account_number, stale: "only" })}`)}
              label={`${related.staleAssets} stale`}
              size="small"
            />
          )
        }
      >
        {related.assets.length === 0 ? (
          <EmptyState title="No assets yet" />
        ) : (
          <Table
            columns={[{ label: "Hostname" }, { label: "Type" }, { label: "Operating system" }, { label: "Status" }]}
          >
            {related.assets.map((a) => (
              <tr>
                <Cell>
                  <a href={p.url(`/assets/${a.id}`)}>{a.hostname}</a>
                </Cell>
                <Cell>{a.asset_type}</Cell>
                <Cell>{a.operating_system ?? "—"}</Cell>
                <Cell>{a.online ? <Badge variant="success">online</Badge> : <Badge>offline</Badge>}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={`Locations (${related.locations.length})`}>
        {related.locations.length > 0 && (
          <Table
            columns={[
              { label: "Name" },
              { label: "Address" },
              { label: "Phone" },
              ...(canWriteData(p) ? [{ label: "" }] : []),
            ]}
          >
            {related.locations.map((l) => (
              <tr>
                <Cell>{l.name}</Cell>
                <Cell>{l.address ?? "—"}</Cell>
                <Cell>{l.phone ?? "—"}</Cell>
                {canWriteData(p) && (
                  <Cell>
                    <Form
                      action={p.url(`/companies/${acct}/locations/${l.id}/delete`)}
                      csrf={p.csrf}
                      inline
                      label={`Delete ${l.name}`}
                    >
                      <Button label="Delete" variant="danger" size="small" />
                    </Form>
                  </Cell>
                )}
              </tr>
            ))}
          </Table>
        )}
        {canWriteData(p) && (
          <Form action={p.url(`/companies/${acct}/locations`)} csrf={p.csrf} inline label="Add a location">
            <Field
              name="name"
              label="Location name"
              required
              value={locationValues?.name ?? ""}
              error={locationErrors?.name}
            />
            <Field
              name="address"
              label="Address"
              value={locationValues?.address ?? ""}
              error={locationErrors?.address}
            />
            <Field
              name="phone"
              label="Phone"
              type="tel"
              value={locationValues?.phone ?? ""}
              error={locationErrors?.phone}
            />
            <Button label="Add location" />
          </Form>
        )}
      </Card>
      <Card
        title="Recent tickets"
        actions={
          <Button href={p.url(`/tickets${qs({ company: company.account_number })}`)} label="All tickets" size="small" />
        }
      >
        {related.tickets.length === 0 ? (
          <EmptyState title="No tickets" />
        ) : (
          <Table columns={[{ label: "Subject" }, { label: "Status" }, { label: "Priority" }, { label: "Updated" }]}>
            {related.tickets.map((t) => (
              <tr>
                <Cell>
                  <a href={p.url(`/tickets/${t.id}`)}>{t.subject}</a>
                </Cell>
                <Cell>{label(t.status)}</Cell>
                <Cell>{t.priority}</Cell>
                <Cell>{when(t.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {related.features.length > 0 && (
        <Card title="Features">
          <DescriptionList
            items={related.features.map((f) => ({
              term: f.name,
              detail: f.display_name ? `${f.display_name}${f.source === "override" ? " (this company)" : ""}` : null,
            }))}
          />
          {canBill(p) && (
            <p class="meta">
              Change features per company through the API (PUT /api/companies/{company.account_number}/features).
            </p>
          )}
        </Card>
      )}
    </Shell>
  );
}

export function CompanyFormPage({
  p,
  mode,
  values,
  errors,
  plans,
}: {
  p: PageCtx;
  mode: "new" | "edit";
  values: Record<string, string>;
  errors: FieldErrors;
  plans: string[];
}) {
  const acct = values.account_number ?? "";
  const action = mode === "new" ? p.url("/companies") : p.url(`/companies/${encodeURIComponent(acct)}/edit`);
  const title = mode === "new" ? "New company" : `Edit ${values.name ?? acct}`;
  const f = (name: string, text: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={text} value={values[name] ?? ""} error={errors[name]} {...extra} />
  );
  return (
    <Shell
      p={p}
      title={title}
      section="companies"
      notice={Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null}
    >
      <PageHeader title={title} />
      <Card>
        <Form action={action} csrf={p.csrf} wide label={title}>
          {mode === "new" ? (
            f("account_number", "Account number", {
              required: true,
              hint: "Letters, digits, dots, dashes; e.g. ACME-001.",
            })
          ) : (
            <input type="hidden" name="account_number" value={acct} />
          )}
          {f("name", "Name", { required: true })}
          {f("domain", "Domain")}
          {f("phone", "Phone", { type: "tel" })}
          {f("billing_plan", "Billing plan", {
            type: "select",
            options: [{ value: "", label: "None" }, ...plans.map((x) => ({ value: x, label: x }))],
          })}
          {f("contract_term", "Contract term", {
            type: "select",
            options: [{ value: "", label: "None" }, ...CONTRACT_TERMS.map((t) => ({ value: t, label: label(t) }))],
          })}
          {f("contract_start", "Contract start", { type: "date" })}
          {f("contract_end", "Contract end", { type: "date" })}
          {f("compliance_level", "Compliance level", {
            type: "select",
            options: COMPLIANCE_LEVELS.map((c) => ({ value: c, label: c.toUpperCase() })),
          })}
          {f("email_system", "Email system")}
          {f("phone_system", "Phone system")}
          {f("head_name", "Company head")}
          {f("prime_user_name", "Prime user")}
          {f("address", "Address", { type: "textarea", full: true, rows: 2 })}
          {f("notes", "Notes", { type: "textarea", full: true })}
          <FormActions>
            <Button label={mode === "new" ? "Create company" : "Save"} variant="primary" />
            <Button
              href={mode === "new" ? p.url("/companies") : p.url(`/companies/${encodeURIComponent(acct)}`)}
              label="Cancel"
              variant="ghost"
            />
          </FormActions>
        </Form>
      </Card>
    </Shell>
  );
}
