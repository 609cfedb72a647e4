import { Button, Card, DescriptionList, Field, Form, FormActions } from "@hivematrix/lib/ui";
import type { WebhookSettings } from "../settings.ts";
import { Configured, type FormState } from "./form-state.tsx";

export interface WebhookCardProps {
  url: (path: string) => string;
  csrf: string;
  webhooks: { enabled: boolean; settings: WebhookSettings; secretConfigured: boolean; url: string };
  form: FormState;
}

/** Where Freshservice's workflow calls Codex, and the secret and allowlist that guard it. */
export function WebhookCard({ url, csrf, webhooks, form }: WebhookCardProps) {
  return (
    <Card title="Freshservice webhook" id="webhooks" actions={<Configured yes={webhooks.secretConfigured} />}>
      <DescriptionList
        items={[
          { term: "Address", detail: webhooks.url },
          { term: "Header", detail: "X-Webhook-Secret: <the secret>" },
          { term: "Body", detail: '{"ticket_id": "{{ticket.id}}"}' },
          {
            term: "Reach",
            detail:
              "Codex's own address: the gateway asks every request for a session, so Freshservice must reach " +
              "Codex directly (a reverse proxy route to this path) or through a gateway exemption.",
          },
        ]}
      />
      <Form action={url("/admin/integrations/webhooks")} csrf={csrf} label="Webhook settings">
        <Field
          name="wh_enabled"
          type="checkbox"
          label="Accept webhook calls"
          value={form.checked("webhooks", "wh_enabled", webhooks.enabled)}
        />
        <Field
          name="wh_secret"
          type="password"
          label="Shared secret"
          autocomplete="off"
          error={form.error("webhooks", "wh_secret")}
          hint={webhooks.secretConfigured ? "Set. Leave empty to keep it." : "At least 24 characters."}
        />
        <Field
          name="ip_allowlist"
          type="textarea"
          rows={3}
          label="Allowed caller IPs (one per line; empty: any)"
          value={form.value("webhooks", "ip_allowlist", webhooks.settings.ipAllowlist.join("\n"))}
          error={form.error("webhooks", "ip_allowlist")}
        />
        <FormActions>
          <Button label="Save webhook settings" variant="primary" />
        </FormActions>
      </Form>
    </Card>
  );
}
