import { usePage } from "@hivematrix/lib/page";
import { Button, Card, Cell, EmptyState, Field, PageHeader, Table, Toolbar, ToolbarGroup } from "@hivematrix/lib/ui";
import { label, when } from "../shared/format.ts";
import type { SearchResult } from "./json.ts";

/** The search box of the search page and the dashboard. */
export function SearchBox({ q = "", error }: { q?: string; error?: string }) {
  const page = usePage();
  return (
    <Toolbar label="Search everything" action={page.url("/search")}>
      <ToolbarGroup grow>
        <Field name="q" label="Search companies, contacts, assets and tickets" type="search" value={q} error={error} />
      </ToolbarGroup>
      <ToolbarGroup>
        <Button label="Search" variant="primary" />
      </ToolbarGroup>
    </Toolbar>
  );
}

export function SearchPage({ q, result, error }: { q: string; result: SearchResult | null; error?: string }) {
  const page = usePage();
  const none =
    result && !result.companies.length && !result.contacts.length && !result.assets.length && !result.tickets.length;
  return (
    <>
      <PageHeader title="Search" />
      <SearchBox q={q} error={error} />
      {none && <EmptyState title="Nothing found" message={`Nothing matches “${q}”. Try fewer or shorter words.`} />}
      {result && result.companies.length > 0 && (
        <Card title="Companies">
          <Table columns={[{ label: "Account" }, { label: "Name" }, { label: "Domain" }]}>
            {result.companies.map((company) => (
              <tr>
                <Cell>{company.account_number}</Cell>
                <Cell>
                  <a href={page.url(`/companies/${encodeURIComponent(company.account_number)}`)}>{company.name}</a>
                </Cell>
                <Cell>{company.domain ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.contacts.length > 0 && (
        <Card title="Contacts">
          <Table columns={[{ label: "Name" }, { label: "Email" }, { label: "Job title" }]}>
            {result.contacts.map((contact) => (
              <tr>
                <Cell>
                  <a href={page.url(`/contacts/${contact.id}`)}>{contact.name}</a>
                </Cell>
                <Cell>{contact.email ?? "—"}</Cell>
                <Cell>{contact.job_title ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.assets.length > 0 && (
        <Card title="Assets">
          <Table columns={[{ label: "Hostname" }, { label: "Type" }, { label: "Company" }]}>
            {result.assets.map((asset) => (
              <tr>
                <Cell>
                  <a href={page.url(`/assets/${asset.id}`)}>{asset.hostname}</a>
                </Cell>
                <Cell>{asset.asset_type}</Cell>
                <Cell>{asset.company ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
      {result && result.tickets.length > 0 && (
        <Card title="Tickets">
          <Table columns={[{ label: "Subject" }, { label: "Status" }, { label: "Company" }, { label: "Updated" }]}>
            {result.tickets.map((ticket) => (
              <tr>
                <Cell>
                  <a href={page.url(`/tickets/${ticket.id}`)}>{ticket.subject}</a>
                </Cell>
                <Cell>{label(ticket.status)}</Cell>
                <Cell>{ticket.company ?? "—"}</Cell>
                <Cell>{when(ticket.updated_at)}</Cell>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </>
  );
}
