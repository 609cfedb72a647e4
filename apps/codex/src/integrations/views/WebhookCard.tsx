import { Button, Card, DescriptionList, Field, Form, FormActions } from "@hivematrix/lib/ui";
import type { WebhookSettings } from "../settings.ts";
import { Configured, type FormState } from "./form-state.tsx";

export interface WebhookCardProps {
  url: (path: string) => string;
  csrf: string;
  /** The webhook's public address through Nexus; null when services.json gives it none. */
  webhooks: { enabled: boolean; settings: WebhookSettings; secretConfigured: boolean; address: string | null };
  form: FormState;
}

/** Where Freshservice's workflow calls Codex, and the secret and allowlist that guard it. */
export function WebhookCard({ url, csrf, webhooks, form }: WebhookCardProps) {
  return (
    <Card title="Freshservice webhook" id="webhooks" actions={<Configured yes={webhooks.secretConfigured} />}>
      <DescriptionList
        items={[
          ...(webhooks.address
            ? [
                { term: "Address", detail: webhooks.address },
                {
                  term: "Reach",
                  detail:
                    "Through Nexus, without a session or token: services.json lists /webhooks/ among Codex's " +
                    "publicPaths, so Nexus forwards this path as it is. Codex itself listens on 127.0.0.1 only.",
                },
              ]
            : [
                {
                  term: "Reach",
                  detail:
                    "Freshservice cannot reach this webhook: Codex listens on 127.0.0.1 only, and Nexus forwards a " +
                    "path without a session only when Codex's entry in services.json lists it. Add " +
                    '"publicPaths": ["/webhooks/"] to the codex entry and restart Nexus and Codex.',
                },
              ]),
          {
            term: "Header",
            detail:
              "X-Webhook-Secret: <the secret>. A missing or wrong secret gets 401; until the box below is ticked " +
              "and a secret is set, every call gets 503.",
          },
          { term: "Body", detail: '{"ticket_id": "{{ticket.id}}"}' },
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
          label="Allowed caller IPs (one per line; empty: any caller with the secret)"
          hint={
            "Compared with the address Nexus received the call from. " +
            "Behind another reverse proxy that is the proxy's address."
          }
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
