import { usePage } from "@hivematrix/lib/page";
import {
  Alert,
  Badge,
  Button,
  Cell,
  Card,
  DescriptionList,
  Field,
  type FieldErrors,
  PageHeader,
  ToolbarGroup,
} from "@hivematrix/lib/ui";
import { ASSET_TYPES } from "../db/schema.ts";
import { label, qs, when } from "../shared/format.ts";
import { canWriteData } from "../shared/levels.ts";
import { LinksCard } from "../shared/links-card.tsx";
import { CompanyFilter, CsvListActions, ListPage } from "../shared/list-page.tsx";
import { STALE_OPTIONS, StaleBadge, staleParam } from "../shared/stale.tsx";
import type { AssetJson, LinkChoices } from "./json.ts";

export function AssetListPage({
  items,
  next,
  query,
}: {
  items: AssetJson[];
  next: string | null;
  query: { q?: string; company?: string; asset_type?: string; stale?: string; cursor?: string };
}) {
  const page = usePage();
  const base = { q: query.q, company: query.company, asset_type: query.asset_type, stale: staleParam(query.stale) };
  return (
    <ListPage
      title="Assets"
      description="Workstations, servers, VMs and network devices, as the RMM reports them."
      actions={<CsvListActions kind="assets" />}
      filters={{
        label: "Search assets",
        action: page.url("/assets"),
        search: { value: query.q, placeholder: "Hostname, serial, user or IP" },
        children: (
          <>
            <ToolbarGroup>
              <CompanyFilter value={query.company} />
              <Field
                name="asset_type"
                label="Type"
                type="select"
                value={query.asset_type ?? ""}
                options={[{ value: "", label: "Any" }, ...ASSET_TYPES.map((type) => ({ value: type, label: type }))]}
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
          </>
        ),
      }}
      columns={[
        { label: "Hostname" },
        { label: "Company" },
        { label: "Type" },
        { label: "Operating system" },
        { label: "Last user" },
        { label: "Status" },
        { label: "Last seen" },
      ]}
      rows={items.map((asset) => (
        <tr>
          <Cell>
            <a href={page.url(`/assets/${asset.id}`)}>{asset.hostname}</a>
            {asset.stale_since && (
              <>
                {" "}
                <StaleBadge since={asset.stale_since} />
              </>
            )}
          </Cell>
          <Cell>{asset.company}</Cell>
          <Cell>{asset.asset_type}</Cell>
          <Cell>{asset.operating_system ?? "—"}</Cell>
          <Cell>{asset.last_logged_in_user ?? "—"}</Cell>
          <Cell>{asset.online ? <Badge variant="success">online</Badge> : <Badge>offline</Badge>}</Cell>
          <Cell>{when(asset.last_seen_at)}</Cell>
        </tr>
      ))}
      empty={{ title: "No assets found" }}
      prevHref={query.cursor ? page.url(`/assets${qs(base)}`) : null}
      nextHref={next ? page.url(`/assets${qs({ ...base, cursor: next })}`) : null}
    />
  );
}

/** Custom fields that hold secrets (BitLocker recovery keys, licence keys) are never shown. */
const SECRET_FIELD = /key|password|secret|bitlocker|recovery/i;

/** An asset's page: the device as the RMM reports it, who uses it, and its custom fields. */
export function AssetDetailPage({
  asset,
  contacts,
  choices,
  errors,
}: {
  asset: AssetJson;
  contacts: { id: number; name: string }[];
  choices?: LinkChoices;
  errors?: FieldErrors;
}) {
  const page = usePage();
  const terabytes = asset.backup_bytes / 2 ** 40;
  /** What may be assigned here, for staff who may change links. */
  const assignable = canWriteData(page) ? choices : undefined;
  return (
    <>
      <PageHeader title={asset.hostname} description={`${asset.asset_type} at ${asset.company}`} />
      {asset.stale_since && (
        <Alert variant="warning" title={`Stale since ${when(asset.stale_since)}`}>
          {`The last complete sync from ${asset.external_source ?? "the RMM"} no longer reported this device, ` +
            "so it is no longer billed. It is kept with its history; the mark clears if it comes back."}
        </Alert>
      )}
      <Card title="Device">
        <DescriptionList
          items={[
            {
              term: "Company",
              detail: <a href={page.url(`/companies/${encodeURIComponent(asset.company)}`)}>{asset.company}</a>,
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
            { term: "Backup", detail: asset.backed_up ? `${terabytes.toFixed(2)} TB` : "not backed up" },
            {
              term: "Synced from",
              detail: asset.external_source ? `${asset.external_source} #${asset.external_id}` : null,
            },
          ]}
        />
      </Card>
      <LinksCard
        title={`Used by (${contacts.length})`}
        empty="Nobody is assigned to this asset"
        column="Contact"
        links={contacts.map((contact) => ({ id: contact.id, name: contact.name, href: `/contacts/${contact.id}` }))}
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
                    ...assignable.options.map((option) => ({ value: String(option.id), label: option.label })),
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
            items={Object.entries(asset.custom_fields).map(([name, value]) => ({
              term: label(name),
              detail: SECRET_FIELD.test(name) ? "hidden (a secret: read it in the RMM)" : value,
            }))}
          />
        </Card>
      )}
    </>
  );
}
