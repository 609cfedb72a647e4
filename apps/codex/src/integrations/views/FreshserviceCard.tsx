import { Button, Card, Field, Form, FormActions } from "@hivematrix/lib/ui";
import type { FreshserviceSettings } from "../settings.ts";
import { Configured, mapText, type FormState } from "./form-state.tsx";

export interface FreshserviceCardProps {
  url: (path: string) => string;
  csrf: string;
  freshservice: { enabled: boolean; settings: FreshserviceSettings; keyConfigured: boolean };
  form: FormState;
}

const workspacesText = (ids: FreshserviceSettings["workspaceIds"]) => (ids === "all" ? "all" : ids.join(", "));

/** Freshservice's settings: where it is, the key, what a company is, and how its fields and ids map. */
export function FreshserviceCard({ url, csrf, freshservice: fs, form }: FreshserviceCardProps) {
  const value = (name: string, stored: string | number | boolean | null) => form.value("freshservice", name, stored);
  const error = (name: string) => form.error("freshservice", name);
  return (
    <Card
      title="Freshservice (PSA)"
      id="freshservice"
      actions={<Configured yes={fs.keyConfigured && !!fs.settings.domain} />}
    >
      <Form action={url("/admin/integrations/freshservice")} csrf={csrf} wide label="Freshservice settings">
        <Field
          name="fs_enabled"
          type="checkbox"
          label="Sync from Freshservice"
          value={form.checked("freshservice", "fs_enabled", fs.enabled)}
        />
        <Field
          name="domain"
          label="Domain"
          required
          value={value("domain", fs.settings.domain)}
          error={error("domain")}
          hint="e.g. acme.freshservice.com"
        />
        <Field
          name="web_domain"
          label="Web address for links"
          value={value("web_domain", fs.settings.webDomain)}
          error={error("web_domain")}
          hint={
            "Only when agents open Freshservice at another domain than the API's; " +
            "“Open in Freshservice” links use it."
          }
        />
        <Field
          name="fs_api_key"
          type="password"
          label="API key"
          autocomplete="off"
          error={error("fs_api_key")}
          hint={fs.keyConfigured ? "Set. Leave empty to keep it." : "Your Freshservice profile → API key."}
        />
        <Field
          name="companies_from"
          type="select"
          label="A company is"
          value={value("companies_from", fs.settings.companiesFrom)}
          error={error("companies_from")}
          options={[
            { value: "departments", label: "a department (departments carry the account number)" },
            { value: "workspaces", label: "a client workspace (Freshservice for MSPs)" },
          ]}
        />
        <Field
          name="workspace_ids"
          label="Workspaces to read tickets from"
          value={value("workspace_ids", workspacesText(fs.settings.workspaceIds))}
          error={error("workspace_ids")}
          hint="With departments: empty for the primary workspace, all, or ids like 2, 5. Test connection lists them."
        />
        <Field
          name="clients"
          type="textarea"
          rows={4}
          label="Client workspaces (workspace id=account number)"
          value={value("clients", mapText(fs.settings.clients))}
          error={error("clients")}
          hint="With client workspaces: one per line; workspaces not listed (your own) are not synced."
        />
        <Field
          name="account_number_field"
          label="Department field with the account number"
          value={value("account_number_field", fs.settings.accountNumberField)}
          error={error("account_number_field")}
        />
        <Field
          name="company_fields"
          type="textarea"
          rows={7}
          label="Company details from department fields (detail=field name)"
          value={value("company_fields", mapText(fs.settings.companyFields))}
          error={error("company_fields")}
          hint="Use this tenant's field names; Test connection lists them."
        />
        <Field
          name="history_start"
          type="date"
          label="Full history starts on"
          value={value("history_start", fs.settings.historyStart)}
          error={error("history_start")}
        />
        <Field
          name="status_map"
          type="textarea"
          rows={6}
          label="Status mapping (id=status)"
          value={value("status_map", mapText(fs.settings.statusMap))}
          error={error("status_map")}
          hint="One per line, e.g. 19=update_needed for a custom status."
        />
        <Field
          name="priority_map"
          type="textarea"
          rows={4}
          label="Priority mapping (id=priority)"
          value={value("priority_map", mapText(fs.settings.priorityMap))}
          error={error("priority_map")}
        />
        <FormActions>
          <Button label="Save Freshservice settings" variant="primary" />
        </FormActions>
      </Form>
      <Form
        action={url("/admin/integrations/test/freshservice")}
        csrf={csrf}
        inline
        label="Test the Freshservice connection"
      >
        <Button label="Test connection" />
      </Form>
      <Form
        action={url("/admin/integrations/account-numbers")}
        csrf={csrf}
        inline
        label="Assign account numbers in Freshservice"
      >
        <Button label="Give departments without an account number a new one" />
      </Form>
    </Card>
  );
}
