import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  type FieldErrors,
  Form,
  PageHeader,
  Table,
} from "@hivematrix/lib/ui";
import type { PsaLinks } from "../integrations/psa-links.ts";
import { label, qs, when } from "../shared/format.ts";
import { FormFields } from "../shared/form-fields.tsx";
import { canBill, canWriteData } from "../shared/levels.ts";
import { PsaLink } from "../shared/psa-link.tsx";
import { StaleBadge } from "../shared/stale.tsx";
import { LOCATION_FORM } from "../locations/json.ts";
import type { CompanyJson, RelatedRows } from "./json.ts";

/** A company's page: its overview, contacts, assets, locations (with the add form), recent tickets and features. */
export function CompanyDetailPage({
  company,
  related,
  locationErrors,
  locationValues,
  psa,
}: {
  company: CompanyJson;
  related: RelatedRows;
  locationErrors?: FieldErrors;
  locationValues?: Record<string, string>;
  psa?: PsaLinks | null;
}) {
  const page = usePage();
  const account = encodeURIComponent(company.account_number);
  const now = new Date();
  return (
    <>
      <PageHeader
        title={company.name}
        description={`Account ${company.account_number}`}
        actions={
          <>
            {page.level !== "client" && <PsaLink psa={psa} kind="company" record={company} />}
            {page.prefix && <Button href={`/brainhair/?company=${account}`} label="Ask Brainhair" />}
            {canWriteData(page) && <Button href={page.url(`/companies/${account}/edit`)} label="Edit" />}
            {page.level !== "technician" && (
              <Button
                href={page.url(
                  `/companies/${account}/bill${qs({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })}`,
                )}
                label="Bill this month"
              />
            )}
          </>
        }
      />
      {company.stale_since && (
        <Alert variant="warning" title={`Stale since ${when(company.stale_since)}`}>
          {`The last complete sync from ${company.external_source ?? "the PSA"} no longer found this company. ` +
            "It is kept with its history; the mark clears if it comes back."}
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
          canWriteData(page) && (
            <Button
              href={page.url(`/contacts/new${qs({ company: company.account_number })}`)}
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
            {related.contacts.map((contact) => (
              <tr>
                <Cell>
                  <a href={page.url(`/contacts/${contact.id}`)}>{contact.name}</a>
                </Cell>
                <Cell>{contact.email ?? "—"}</Cell>
                <Cell>{contact.job_title ?? "—"}</Cell>
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
              href={page.url(`/assets${qs({ company: company.account_number, stale: "only" })}`)}
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
            {related.assets.map((asset) => (
              <tr>
                <Cell>
                  <a href={page.url(`/assets/${asset.id}`)}>{asset.hostname}</a>
                </Cell>
                <Cell>{asset.asset_type}</Cell>
                <Cell>{asset.operating_system ?? "—"}</Cell>
                <Cell>{asset.online ? <Badge variant="success">online</Badge> : <Badge>offline</Badge>}</Cell>
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
              ...(canWriteData(page) ? [{ label: "" }] : []),
            ]}
          >
            {related.locations.map((location) => (
              <tr>
                <Cell>{location.name}</Cell>
                <Cell>{location.address ?? "—"}</Cell>
                <Cell>{location.phone ?? "—"}</Cell>
                {canWriteData(page) && (
                  <Cell>
                    <Form
                      action={page.url(`/companies/${account}/locations/${location.id}/delete`)}
                      csrf={page.csrf}
                      inline
                      label={`Delete ${location.name}`}
                    >
                      <Button label="Delete" variant="danger" size="small" />
                    </Form>
                  </Cell>
                )}
              </tr>
            ))}
          </Table>
        )}
        {canWriteData(page) && (
          <Form action={page.url(`/companies/${account}/locations`)} csrf={page.csrf} inline label="Add a location">
            <FormFields
              fields={LOCATION_FORM}
              values={locationValues ?? {}}
              errors={locationErrors ?? {}}
              extra={{ name: { required: true } }}
            />
            <Button label="Add location" />
          </Form>
        )}
      </Card>
      <Card
        title="Recent tickets"
        actions={
          <Button
            href={page.url(`/tickets${qs({ company: company.account_number })}`)}
            label="All tickets"
            size="small"
          />
        }
      >
        {related.tickets.length === 0 ? (
          <EmptyState title="No tickets" />
        ) : (
          <Table columns={[{ label: "Subject" }, { label: "Status" }, { label: "Priority" }, { label: "Updated" }]}>
            {related.tickets.map((ticket) => (
              <tr>
                <Cell>
                  <a href={page.url(`/tickets/${ticket.id}`)}>{ticket.subject}</a>
                </Cell>
                <Cell>{label(ticket.status)}</Cell>
                <Cell>{ticket.priority}</Cell>
                <Cell>{when(ticket.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {related.features.length > 0 && (
        <Card title="Features">
          <DescriptionList
            items={related.features.map((feature) => ({
              term: feature.name,
              detail: feature.display_name
                ? `${feature.display_name}${feature.source === "override" ? " (this company)" : ""}`
                : null,
            }))}
          />
          {canBill(page) && (
            <p class="meta">
              Change features per company through the API (PUT /api/companies/{company.account_number}/features).
            </p>
          )}
        </Card>
      )}
    </>
  );
}
