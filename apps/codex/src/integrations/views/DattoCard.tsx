import { Button, Card, Field, Form, FormActions } from "@hivematrix/lib/ui";
import type { DattoSettings } from "../settings.ts";
import { Configured, mapText, type FormState } from "./form-state.tsx";

export interface DattoCardProps {
  url: (path: string) => string;
  csrf: string;
  datto: { enabled: boolean; settings: DattoSettings; keyConfigured: boolean; secretConfigured: boolean };
  form: FormState;
}

/** Datto RMM's settings, its connection test and linking a site to a company. */
export function DattoCard({ url, csrf, datto: dt, form }: DattoCardProps) {
  return (
    <Card
      title="Datto RMM"
      id="datto"
      actions={<Configured yes={dt.keyConfigured && dt.secretConfigured && !!dt.settings.apiUrl} />}
    >
      <Form action={url("/admin/integrations/datto")} csrf={csrf} wide label="Datto RMM settings">
        <Field
          name="datto_enabled"
          type="checkbox"
          label="Sync from Datto RMM"
          value={form.checked("datto", "datto_enabled", dt.enabled)}
        />
        <Field
          name="api_url"
          type="url"
          label="API URL"
          required
          value={form.value("datto", "api_url", dt.settings.apiUrl)}
          error={form.error("datto", "api_url")}
          hint="e.g. https://merlot-api.centrastage.net"
        />
        <Field
          name="datto_api_key"
          type="password"
          label="API key"
          autocomplete="off"
          error={form.error("datto", "datto_api_key")}
          hint={dt.keyConfigured ? "Set. Leave empty to keep it." : "Setup → Users → API keys."}
        />
        <Field
          name="datto_api_secret"
          type="password"
          label="API secret"
          autocomplete="off"
          error={form.error("datto", "datto_api_secret")}
          hint={dt.secretConfigured ? "Set. Leave empty to keep it." : undefined}
        />
        <Field
          name="account_variable"
          label="Site variable with the account number"
          value={form.value("datto", "account_variable", dt.settings.accountVariable)}
          error={form.error("datto", "account_variable")}
        />
        <Field
          name="udf_labels"
          type="textarea"
          rows={4}
          label="Device UDFs to keep (udfN=label)"
          value={form.value("datto", "udf_labels", mapText(dt.settings.udfLabels))}
          error={form.error("datto", "udf_labels")}
          hint="udf1 to udf300. Only listed UDFs are copied; never list ones holding secrets."
        />
        <Field
          name="backup_bytes_udf"
          label="UDF with backup usage in bytes"
          value={form.value("datto", "backup_bytes_udf", dt.settings.backupBytesUdf)}
          error={form.error("datto", "backup_bytes_udf")}
          placeholder="e.g. udf6"
        />
        <FormActions>
          <Button label="Save Datto settings" variant="primary" />
        </FormActions>
      </Form>
      <Form action={url("/admin/integrations/test/datto")} csrf={csrf} inline label="Test the Datto connection">
        <Button label="Test connection" />
      </Form>
      <Form action={url("/admin/integrations/link-site")} csrf={csrf} inline label="Link a Datto site to a company">
        <Field
          name="site_uid"
          label="Site uid"
          value={form.value("link", "site_uid", "")}
          error={form.error("link", "site_uid")}
        />
        <Field
          name="account_number"
          label="Account number"
          value={form.value("link", "account_number", "")}
          error={form.error("link", "account_number")}
        />
        <Button label="Link site" />
      </Form>
    </Card>
  );
}
