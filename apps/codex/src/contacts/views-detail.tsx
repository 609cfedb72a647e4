import { usePage } from "@hivematrix/lib/page";
import { Button, Card, DescriptionList, Field, type FieldErrors, PageHeader } from "@hivematrix/lib/ui";
import type { LinkChoices } from "../assets/json.ts";
import type { PsaLinks } from "../integrations/psa-links.ts";
import { when } from "../shared/format.ts";
import { canWriteData } from "../shared/levels.ts";
import { LinksCard } from "../shared/links-card.tsx";
import { PsaLink } from "../shared/psa-link.tsx";
import { StaleBadge } from "../shared/stale.tsx";
import type { ContactJson } from "./json.ts";

/** A contact's page: details, and the assets they use (assign and unassign for staff who may). */
export function ContactDetailPage({
  contact,
  assets,
  choices,
  errors,
  psa,
}: {
  contact: ContactJson;
  assets: { id: number; hostname: string; stale_since: string | null }[];
  choices?: LinkChoices;
  errors?: FieldErrors;
  psa?: PsaLinks | null;
}) {
  const page = usePage();
  /** What may be assigned here, for staff who may change links. */
  const assignable = canWriteData(page) ? choices : undefined;
  return (
    <>
      <PageHeader
        title={contact.name}
        description={contact.job_title ?? undefined}
        actions={
          <>
            {page.level !== "client" && <PsaLink psa={psa} kind="contact" record={contact} />}
            {canWriteData(page) && <Button href={page.url(`/contacts/${contact.id}/edit`)} label="Edit" />}
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
                ? contact.companies.map((account) => (
                    <>
                      <a href={page.url(`/companies/${encodeURIComponent(account)}`)}>{account}</a>{" "}
                    </>
                  ))
                : null,
            },
            {
              term: "Status",
              detail: `${contact.active ? "active" : "inactive"}${contact.vip ? ", VIP" : ""}${contact.email_notifications ? "" : ", no ticket emails"}`,
            },
            { term: "Notes", detail: contact.notes },
            { term: "Updated", detail: when(contact.updated_at) },
          ]}
        />
      </Card>
      <LinksCard
        title={`Assets used (${assets.length})`}
        empty="No assets linked"
        column="Hostname"
        links={assets.map((asset) => ({
          id: asset.id,
          name: asset.hostname,
          href: `/assets/${asset.id}`,
          badge: asset.stale_since && <StaleBadge since={asset.stale_since} />,
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
                    ...assignable.options.map((option) => ({ value: String(option.id), label: option.label })),
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
    </>
  );
}
