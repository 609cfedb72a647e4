import type { Child } from "hono/jsx";
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
import { ASSET_TYPES } from "../db/schema.ts";
import type { assetJson } from "../data/assets.ts";
import type { contactJson } from "../data/contacts.ts";
import { Shell, type PageCtx } from "./shell.tsx";
import { canWriteData } from "../shared/levels.ts";
import { label, qs, when } from "../shared/format.ts";
import { STALE_OPTIONS, StaleBadge, staleParam } from "../shared/stale.tsx";
import { PsaLink } from "./psa.tsx";
import type { PsaLinks } from "../integrations/psa-links.ts";

type ContactJson = ReturnType<typeof contactJson>;

/** The assets a contact uses, or the contacts using an asset; with `assign`, an Unassign button on each and a form to assign one more. */
function LinksCard({
  p,
  title,
  empty,
  column,
  links,
  removeAction,
  assign,
}: {
  p: PageCtx;
  title: string;
  empty: string;
  column: string;
  links: { id: number; name: string; href: string; badge?: Child }[];
  removeAction: (id: number) => string;
  /** Absent (or false) for those who may only read: no Unassign buttons either. */
  assign?: { action: string; label: string; button: string; field: Child } | false;
}) {
  const editable = Boolean(assign);
  return (
    <Card title={title}>
      {links.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <Table columns={[{ label: column }, ...(editable ? [{ label: "" }] : [])]}>
          {links.map((l) => (
            <tr>
              <Cell>
                <a href={p.url(l.href)}>{l.name}</a>
                {l.badge && <> {l.badge}</>}
              </Cell>
              {editable && (
                <Cell>
                  <Form action={p.url(removeAction(l.id))} csrf={p.csrf} inline label={`Unassign ${l.name}`}>
                    <Button label="Unassign" variant="danger" size="small" />
                  </Form>
                </Cell>
              )}
            </tr>
          ))}
        </Table>
      )}
      {assign && (
        <Form action={p.url(assign.action)} csrf={p.csrf} inline label={assign.label}>
          {assign.field}
          <Button label={assign.button} />
        </Form>
      )}
    </Card>
  );
}
type AssetJson = ReturnType<typeof assetJson>;

/** The contacts page's status filter; `active` is the default. */
export const CONTACT_STATUSES = ["active", "inactive", "all"] as const;

export function ContactListPage({
  p,
  items,
  next,
  query,
  notice,
}: {
  p: PageCtx;
  items: ContactJson[];
  next: string | null;
  query: { q?: string; company?: string; cursor?: string; status: (typeof CONTACT_STATUSES)[number] };
  notice?: string | null;
}) {
  const base = { q: query.q, company: query.company, status: query.status === "active" ? undefined : query.status };
  return (
    <Shell p={p} title="Contacts" section="contacts" notice={notice ? { variant: "info", text: notice } : null}>
      <PageHeader
        title="Contacts"
        description="People at client companies; one person can belong to several companies."
        actions={
          <>
            <Button href={p.url("/api/contacts/export.csv")} label="Export CSV" />
            {canWriteData(p) && <Button href={p.url("/import/contacts")} label="Import CSV" />}
            {canWriteData(p) && <Button href={p.url("/contacts/new")} label="New contact" variant="primary" />}
          </>
        }
      />
      <Toolbar label="Search contacts" action={p.url("/contacts")}>
        <ToolbarGroup grow>
          <Field name="q" label="Search" type="search" value={query.q ?? ""} placeholder="Name, email or phone" />
        </ToolbarGroup>
        <ToolbarGroup>
          {p.level !== "client" && (
            <Field name="company" label="Company (account number)" value={query.company ?? ""} />
          )}
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
      </Toolbar>
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No contacts found" />
        ) : (
          <Table
            columns={[
              { label: "Name" },
              { label: "Email" },
              { label: "Job title" },
              { label: "Companies" },
              { label: "Status" },
            ]}
          >
            {items.map((x) => (
              <tr>
                <Cell>
                  <a href={p.url(`/contacts/${x.id}`)}>{x.name}</a>
                </Cell>
                <Cell>{x.email ?? "—"}</Cell>
                <Cell>{x.job_title ?? "—"}</Cell>
                <Cell>{x.companies.join(", ") || "—"}</Cell>
                <Cell>
                  {x.active ? <Badge variant="success">active</Badge> : <Badge>inactive</Badge>}
                  {x.vip && (
                    <>
                      {" "}
                      <Badge variant="warning">VIP</Badge>
                    </>
                  )}
                </Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={query.cursor ? p.url(`/contacts${qs(base)}`) : null}
          nextHref={next ? p.url(`/contacts${qs({ ...base, cursor: next })}`) : null}
          info={`${items.length} shown`}
        />
      </Card>
    </Shell>
  );
}

/** What a link form offers: a short list to pick from, or (for a big company) a field to type into. */
export type LinkChoices = { options: { id: number; label: string }[] } | { tooMany: number };

export function ContactDetailPage({
  p,
  contact,
  assets,
  notice,
  choices,
  errors,
  psa,
}: {
  p: PageCtx;
  contact: ContactJson;
  assets: { id: number; hostname: string; stale_since: string | null }[];
  notice?: string | null;
  choices?: LinkChoices;
  errors?: FieldErrors;
  psa?: PsaLinks | null;
}) {
  /** What may be assigned here, for staff who may change links. */
  const assignable = canWriteData(p) ? choices : undefined;
  return (
    <Shell
      p={p}
      title={contact.name}
      section="contacts"
      notice={
        notice
          ? { variant: "success", text: notice }
          : errors && Object.keys(errors).length
            ? { variant: "error", text: "Check the form below." }
            : null
      }
    >
      <PageHeader
        title={contact.name}
        description={contact.job_title ?? undefined}
        actions={
          <>
            {p.level !== "client" && <PsaLink psa={psa} kind="contact" record={contact} />}
            {canWriteData(p) && <Button href={p.url(`/contacts/${contact.id}/edit`)} label="Edit" />}
          </>
        }
      />
      <Card title="Details">
        <DescriptionList
          items={[
            { term: "Email", detail: contact.email },
            { term: "Other emails", detail: contact.secondary_emails.join(", ") },
            { term: "Mobile", detail: contact.mobile_phone },
            { term: "Work phone", detail: contact.work_phone },
            { term: "Time zone", detail: contact.time_zone },
            { term: "Address", detail: contact.address },
            {
              term: "Companies",
              detail: contact.companies.length
                ? contact.companies.map((a) => (
                    <>
                      <a href={p.url(`/companies/${encodeURIComponent(a)}`)}>{a}</a>{" "}
                    </>
                  ))
                : null,
            },
            { term: "Status", detail: `${contact.active ? "active" : "inactive"}${contact.vip ? ", VIP" : ""}` },
            { term: "Notes", detail: contact.notes },
            { term: "Updated", detail: when(contact.updated_at) },
          ]}
        />
      </Card>
      <LinksCard
        p={p}
        title={`Assets used (${assets.length})`}
        empty="No assets linked"
        column="Hostname"
        links={assets.map((a) => ({
          id: a.id,
          name: a.hostname,
          href: `/assets/${a.id}`,
          badge: a.stale_since && <StaleBadge since={a.stale_since} />,
        }))}
        removeAction={(id) => `/contacts/${contact.id}/assets/${id}/remove`}
        assign={
          assignable && {
            action: `/contacts/${contact.id}/assets`,
            label: "Assign an asset",
            button: "Assign asset",
            field:
              "options" in assignable ? (
                <Field
                  name="asset_id"
                  label="Asset"
                  type="select"
                  error={errors?.asset}
                  options={[
                    { value: "", label: "Choose an asset" },
                    ...assignable.options.map((o) => ({ value: String(o.id), label: o.label })),
                  ]}
                />
              ) : (
                <Field
                  name="hostname"
                  label="Asset hostname"
                  error={errors?.asset}
                  hint={`${assignable.tooMany} assets at this contact's companies: type the hostname.`}
                />
              ),
          }
        }
      />
    </Shell>
  );
}

export const CONTACT_FORM_FIELDS = [
  "name",
  "email",
  "job_title",
  "mobile_phone",
  "work_phone",
  "time_zone",
  "address",
  "notes",
  "companies",
] as const;

export function ContactFormPage({
  p,
  mode,
  id,
  values,
  errors,
}: {
  p: PageCtx;
  mode: "new" | "edit";
  id?: number;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const title = mode === "new" ? "New contact" : `Edit ${values.name ?? "contact"}`;
  const f = (name: string, text: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={text} value={values[name] ?? ""} error={errors[name]} {...extra} />
  );
  return (
    <Shell
      p={p}
      title={title}
      section="contacts"
      notice={Object.keys(errors).length ? { variant: "error", text: "Check the fields marked below." } : null}
    >
      <PageHeader title={title} />
      <Card>
        <Form
          action={mode === "new" ? p.url("/contacts") : p.url(`/contacts/${id}/edit`)}
          csrf={p.csrf}
          wide
          label={title}
        >
          {f("name", "Name", { required: true, autofocus: true })}
          {f("email", "Email", { type: "email" })}
          {f("job_title", "Job title")}
          {f("mobile_phone", "Mobile", { type: "tel" })}
          {f("work_phone", "Work phone", { type: "tel" })}
          {f("time_zone", "Time zone")}
          {f("companies", "Companies", { hint: "Account numbers, separated by commas.", required: mode === "new" })}
          <Field
            name="active"
            label="Active"
            type="checkbox"
            value={values.active === undefined ? true : values.active === "on"}
          />
          <Field name="vip" label="VIP" type="checkbox" value={values.vip === "on"} />
          {f("address", "Address", { type: "textarea", full: true, rows: 2 })}
          {f("notes", "Notes", { type: "textarea", full: true })}
          <FormActions>
            <Button label={mode === "new" ? "Add contact" : "Save"} variant="primary" />
            <Button
              href={mode === "new" ? p.url("/contacts") : p.url(`/contacts/${id}`)}
              label="Cancel"
              variant="ghost"
            />
          </FormActions>
        </Form>
      </Card>
    </Shell>
  );
}

export function AssetListPage({
  p,
  items,
  next,
  query,
  notice,
}: {
  p: PageCtx;
  items: AssetJson[];
  next: string | null;
  query: { q?: string; company?: string; asset_type?: string; stale?: string; cursor?: string };
  notice?: string | null;
}) {
  const base = { q: query.q, company: query.company, asset_type: query.asset_type, stale: staleParam(query.stale) };
  return (
    <Shell p={p} title="Assets" section="assets" notice={notice ? { variant: "info", text: notice } : null}>
      <PageHeader
        title="Assets"
        description="Workstations, servers, VMs and network devices, as the RMM reports them."
        actions={
          <>
            <Button href={p.url("/api/assets/export.csv")} label="Export CSV" />
            {canWriteData(p) && <Button href={p.url("/import/assets")} label="Import CSV" />}
          </>
        }
      />
      <Toolbar label="Search assets" action={p.url("/assets")}>
        <ToolbarGroup grow>
          <Field
            name="q"
            label="Search"
            type="search"
            value={query.q ?? ""}
            placeholder="Hostname, serial, user or IP"
          />
        </ToolbarGroup>
        <ToolbarGroup>
          {p.level !== "client" && (
            <Field name="company" label="Company (account number)" value={query.company ?? ""} />
          )}
          <Field
            name="asset_type"
            label="Type"
            type="select"
            value={query.asset_type ?? ""}
            options={[{ value: "", label: "Any" }, ...ASSET_TYPES.map((t) => ({ value: t, label: t }))]}
          />
          <Field
            name="stale"
            label="Gone from the RMM"
            type="select"
            value={query.stale ?? "exclude"}
            options={STALE_OPTIONS}
          />
          <Button label="Search" />
        </ToolbarGroup>
      </Toolbar>
      <Card>
        {items.length === 0 ? (
          <EmptyState title="No assets found" />
        ) : (
          <Table
            columns={[
              { label: "Hostname" },
              { label: "Company" },
              { label: "Type" },
              { label: "Operating system" },
              { label: "Last user" },
              { label: "Status" },
              { label: "Last seen" },
            ]}
          >
            {items.map((a) => (
              <tr>
                <Cell>
                  <a href={p.url(`/assets/${a.id}`)}>{a.hostname}</a>
                  {a.stale_since && (
                    <>
                      {" "}
                      <StaleBadge since={a.stale_since} />
                    </>
                  )}
                </Cell>
                <Cell>{a.company}</Cell>
                <Cell>{a.asset_type}</Cell>
                <Cell>{a.operating_system ?? "—"}</Cell>
                <Cell>{a.last_logged_in_user ?? "—"}</Cell>
                <Cell>{a.online ? <Badge variant="success">online</Badge> : <Badge>offline</Badge>}</Cell>
                <Cell>{when(a.last_seen_at)}</Cell>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          prevHref={query.cursor ? p.url(`/assets${qs(base)}`) : null}
          nextHref={next ? p.url(`/assets${qs({ ...base, cursor: next })}`) : null}
          info={`${items.length} shown`}
        />
      </Card>
    </Shell>
  );
}

/** Custom fields that hold secrets (BitLocker recovery keys, licence keys) are never shown. */
const SECRET_FIELD = /key|password|secret|bitlocker|recovery/i;

export function AssetDetailPage({
  p,
  asset,
  contacts,
  choices,
  errors,
  notice,
}: {
  p: PageCtx;
  asset: AssetJson;
  contacts: { id: number; name: string }[];
  choices?: LinkChoices;
  errors?: FieldErrors;
  notice?: string | null;
}) {
  const tb = asset.backup_bytes / 2 ** 40;
  /** What may be assigned here, for staff who may change links. */
  const assignable = canWriteData(p) ? choices : undefined;
  return (
    <Shell
      p={p}
      title={asset.hostname}
      section="assets"
      notice={
        notice
          ? { variant: "success", text: notice }
          : errors && Object.keys(errors).length
            ? { variant: "error", text: "Check the form below." }
            : null
      }
    >
      <PageHeader title={asset.hostname} description={`${asset.asset_type} at ${asset.company}`} />
      {asset.stale_since && (
        <Alert variant="warning" title={`Stale since ${when(asset.stale_since)}`}>
          {`The last complete sync from ${asset.external_source ?? "the RMM"} no longer reported this device, so it is no longer billed. It is kept with its history; the mark clears if it comes back.`}
        </Alert>
      )}
      <Card title="Device">
        <DescriptionList
          items={[
            {
              term: "Company",
              detail: <a href={p.url(`/companies/${encodeURIComponent(asset.company)}`)}>{asset.company}</a>,
            },
            {
              term: "Billed as",
              detail: asset.stale_since ? (
                <>
                  not billed (stale) <StaleBadge since={asset.stale_since} />
                </>
              ) : (
                asset.asset_type
              ),
            },
            { term: "Hardware type", detail: asset.hardware_type },
            { term: "Manufacturer / model", detail: [asset.manufacturer, asset.model].filter(Boolean).join(" ") },
            { term: "Serial number", detail: asset.serial_number },
            { term: "Operating system", detail: asset.operating_system },
            { term: "Status", detail: asset.online ? "online" : "offline" },
            { term: "Last seen", detail: when(asset.last_seen_at) },
            { term: "Last reboot", detail: when(asset.last_reboot_at) },
            { term: "Last logged-in user", detail: asset.last_logged_in_user },
            {
              term: "Internal / external IP",
              detail: [asset.internal_ip, asset.external_ip].filter(Boolean).join(" / "),
            },
            { term: "Domain", detail: asset.domain },
            { term: "Antivirus", detail: asset.antivirus_product },
            { term: "Patch status", detail: asset.patch_status },
            { term: "RMM site", detail: asset.rmm_site_name },
            { term: "Backup", detail: asset.backed_up ? `${tb.toFixed(2)} TB` : "not backed up" },
            {
              term: "Synced from",
              detail: asset.external_source ? `${asset.external_source} #${asset.external_id}` : null,
            },
          ]}
        />
      </Card>
      <LinksCard
        p={p}
        title={`Used by (${contacts.length})`}
        empty="Nobody is assigned to this asset"
        column="Contact"
        links={contacts.map((x) => ({ id: x.id, name: x.name, href: `/contacts/${x.id}` }))}
        removeAction={(id) => `/assets/${asset.id}/contacts/${id}/remove`}
        assign={
          assignable && {
            action: `/assets/${asset.id}/contacts`,
            label: "Assign a contact",
            button: "Assign contact",
            field:
              "options" in assignable ? (
                <Field
                  name="contact_id"
                  label="Contact"
                  type="select"
                  error={errors?.contact}
                  options={[
                    { value: "", label: "Choose a contact" },
                    ...assignable.options.map((o) => ({ value: String(o.id), label: o.label })),
                  ]}
                />
              ) : (
                <Field
                  name="email"
                  label="Contact's email"
                  type="email"
                  error={errors?.contact}
                  hint={`${assignable.tooMany} contacts at ${asset.company}: type the email.`}
                />
              ),
          }
        }
      />
      {Object.keys(asset.custom_fields).length > 0 && (
        <Card title="Custom fields">
          <DescriptionList
            items={Object.entries(asset.custom_fields).map(([k, v]) => ({
              term: label(k),
              detail: SECRET_FIELD.test(k) ? "hidden (a secret: read it in the RMM)" : v,
            }))}
          />
        </Card>
      )}
    </Shell>
  );
}
