import {
  Alert,
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  Field,
  Form,
  FormActions,
  Table,
  type FieldErrors,
} from "@hivematrix/lib/ui";
import type { SyncJob } from "../../db/schema.ts";
import type { ScheduleView } from "../scheduler.ts";
import type { DattoSettings, FreshserviceSettings, JobKind, SchedulerSettings, WebhookSettings } from "../settings.ts";

/** Everything the integration settings section shows; built by settings-routes' loader. */
export interface IntegrationSettingsProps {
  /** Builds a link to a path of this app (prefix-aware). */
  url: (path: string) => string;
  csrf: string;
  freshservice: { enabled: boolean; settings: FreshserviceSettings; keyConfigured: boolean };
  datto: { enabled: boolean; settings: DattoSettings; keyConfigured: boolean; secretConfigured: boolean };
  /** The webhook's public address through Nexus; null when services.json gives it none. */
  webhooks: { enabled: boolean; settings: WebhookSettings; secretConfigured: boolean; address: string | null };
  scheduler: { settings: SchedulerSettings; view: ScheduleView[] };
  jobs: SyncJob[];
  /** Which form the errors and raw values belong to, to re-render it with messages next to fields. */
  form?: { name: string; errors: FieldErrors; values: Record<string, string> };
  /** Outcome of the last action (saved, connection test, run started). */
  notice?: { variant: "success" | "error" | "info"; title: string; message?: string };
}

export const JOB_LABELS: Record<JobKind, string> = {
  psa: "Companies, contacts and agents (Freshservice)",
  tickets: "Tickets: recent changes (Freshservice)",
  tickets_full: "Tickets: full history (Freshservice)",
  rmm: "Sites and devices (Datto RMM)",
  agents: "Agents (Keycloak staff groups)",
};

const mapText = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

function Configured({ yes }: { yes: boolean }) {
  return yes ? <Badge variant="success">configured</Badge> : <Badge variant="warning">not set</Badge>;
}

function statusBadge(status: string) {
  const variant =
    status === "succeeded" ? "success" : status === "failed" ? "danger" : status === "running" ? "info" : "neutral";
  return <Badge variant={variant}>{status}</Badge>;
}

const when = (d: Date | null | undefined) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "—");

/**
 * The integrations section of Codex's admin settings: provider credentials (never shown back,
 * only whether they are set), a real connection test, the sync schedule with next run times,
 * run-now buttons and the recent sync history. Plain forms, CSRF-protected, no JavaScript.
 */
export function IntegrationSettings(p: IntegrationSettingsProps) {
  const v = (form: string, name: string, fallback: string | number | boolean | null) =>
    p.form?.name === form && name in p.form.values ? p.form.values[name] : fallback;
  const err = (form: string, name: string) => (p.form?.name === form ? p.form.errors[name] : undefined);
  const checked = (form: string, name: string, stored: boolean) =>
    p.form?.name === form ? p.form.values[name] === "on" : stored;
  const fs = p.freshservice;
  const dt = p.datto;
  return (
    <>
      {p.notice && (
        <Alert variant={p.notice.variant} title={p.notice.title}>
          {p.notice.message}
        </Alert>
      )}
      <Card
        title="Freshservice (PSA)"
        id="freshservice"
        actions={<Configured yes={fs.keyConfigured && !!fs.settings.domain} />}
      >
        <Form action={p.url("/admin/integrations/freshservice")} csrf={p.csrf} wide label="Freshservice settings">
          <Field
            name="fs_enabled"
            type="checkbox"
            label="Sync from Freshservice"
            value={checked("freshservice", "fs_enabled", fs.enabled)}
          />
          <Field
            name="domain"
            label="Domain"
            required
            value={v("freshservice", "domain", fs.settings.domain)}
            error={err("freshservice", "domain")}
            hint="e.g. acme.freshservice.com"
          />
          <Field
            name="web_domain"
            label="Web address for links"
            value={v("freshservice", "web_domain", fs.settings.webDomain)}
            error={err("freshservice", "web_domain")}
            hint="Only when agents open Freshservice at another domain than the API's; “Open in Freshservice” links use it."
          />
          <Field
            name="fs_api_key"
            type="password"
            label="API key"
            autocomplete="off"
            error={err("freshservice", "fs_api_key")}
            hint={fs.keyConfigured ? "Set. Leave empty to keep it." : "Your Freshservice profile → API key."}
          />
          <Field
            name="workspace_id"
            type="number"
            label="Workspace id"
            value={v("freshservice", "workspace_id", fs.settings.workspaceId)}
            error={err("freshservice", "workspace_id")}
            hint="Only for accounts with workspaces."
          />
          <Field
            name="account_number_field"
            label="Department field with the account number"
            value={v("freshservice", "account_number_field", fs.settings.accountNumberField)}
            error={err("freshservice", "account_number_field")}
          />
          <Field
            name="history_start"
            type="date"
            label="Full history starts on"
            value={v("freshservice", "history_start", fs.settings.historyStart)}
            error={err("freshservice", "history_start")}
          />
          <Field
            name="status_map"
            type="textarea"
            rows={6}
            label="Status mapping (id=status)"
            value={v("freshservice", "status_map", mapText(fs.settings.statusMap))}
            error={err("freshservice", "status_map")}
            hint="One per line, e.g. 19=update_needed for a custom status."
          />
          <Field
            name="priority_map"
            type="textarea"
            rows={4}
            label="Priority mapping (id=priority)"
            value={v("freshservice", "priority_map", mapText(fs.settings.priorityMap))}
            error={err("freshservice", "priority_map")}
          />
          <FormActions>
            <Button label="Save Freshservice settings" variant="primary" />
          </FormActions>
        </Form>
        <Form
          action={p.url("/admin/integrations/test/freshservice")}
          csrf={p.csrf}
          inline
          label="Test the Freshservice connection"
        >
          <Button label="Test connection" />
        </Form>
        <Form
          action={p.url("/admin/integrations/account-numbers")}
          csrf={p.csrf}
          inline
          label="Assign account numbers in Freshservice"
        >
          <Button label="Give departments without an account number a new one" />
        </Form>
      </Card>

      <Card
        title="Datto RMM"
        id="datto"
        actions={<Configured yes={dt.keyConfigured && dt.secretConfigured && !!dt.settings.apiUrl} />}
      >
        <Form action={p.url("/admin/integrations/datto")} csrf={p.csrf} wide label="Datto RMM settings">
          <Field
            name="datto_enabled"
            type="checkbox"
            label="Sync from Datto RMM"
            value={checked("datto", "datto_enabled", dt.enabled)}
          />
          <Field
            name="api_url"
            type="url"
            label="API URL"
            required
            value={v("datto", "api_url", dt.settings.apiUrl)}
            error={err("datto", "api_url")}
            hint="e.g. https://merlot-api.centrastage.net"
          />
          <Field
            name="datto_api_key"
            type="password"
            label="API key"
            autocomplete="off"
            error={err("datto", "datto_api_key")}
            hint={dt.keyConfigured ? "Set. Leave empty to keep it." : "Setup → Users → API keys."}
          />
          <Field
            name="datto_api_secret"
            type="password"
            label="API secret"
            autocomplete="off"
            error={err("datto", "datto_api_secret")}
            hint={dt.secretConfigured ? "Set. Leave empty to keep it." : undefined}
          />
          <Field
            name="account_variable"
            label="Site variable with the account number"
            value={v("datto", "account_variable", dt.settings.accountVariable)}
            error={err("datto", "account_variable")}
          />
          <Field
            name="udf_labels"
            type="textarea"
            rows={4}
            label="Device UDFs to keep (udfN=label)"
            value={v("datto", "udf_labels", mapText(dt.settings.udfLabels))}
            error={err("datto", "udf_labels")}
            hint="Only listed UDFs are copied; never list ones holding secrets."
          />
          <Field
            name="backup_bytes_udf"
            label="UDF with backup usage in bytes"
            value={v("datto", "backup_bytes_udf", dt.settings.backupBytesUdf)}
            error={err("datto", "backup_bytes_udf")}
            placeholder="e.g. udf6"
          />
          <FormActions>
            <Button label="Save Datto settings" variant="primary" />
          </FormActions>
        </Form>
        <Form action={p.url("/admin/integrations/test/datto")} csrf={p.csrf} inline label="Test the Datto connection">
          <Button label="Test connection" />
        </Form>
        <Form
          action={p.url("/admin/integrations/link-site")}
          csrf={p.csrf}
          inline
          label="Link a Datto site to a company"
        >
          <Field name="site_uid" label="Site uid" value={v("link", "site_uid", "")} error={err("link", "site_uid")} />
          <Field
            name="account_number"
            label="Account number"
            value={v("link", "account_number", "")}
            error={err("link", "account_number")}
          />
          <Button label="Link site" />
        </Form>
      </Card>

      <Card title="Freshservice webhook" id="webhooks" actions={<Configured yes={p.webhooks.secretConfigured} />}>
        <DescriptionList
          items={[
            ...(p.webhooks.address
              ? [
                  { term: "Address", detail: p.webhooks.address },
                  {
                    term: "Reach",
                    detail:
                      "Through Nexus, without a session or token: services.json lists /webhooks/ among Codex's publicPaths, so Nexus forwards this path as it is. Codex itself listens on 127.0.0.1 only.",
                  },
                ]
              : [
                  {
                    term: "Reach",
                    detail:
                      'Freshservice cannot reach this webhook: Codex listens on 127.0.0.1 only, and Nexus forwards a path without a session only when Codex\'s entry in services.json lists it. Add "publicPaths": ["/webhooks/"] to the codex entry and restart Nexus and Codex.',
                  },
                ]),
            {
              term: "Header",
              detail:
                "X-Webhook-Secret: <the secret>. A missing or wrong secret gets 401; until the box below is ticked and a secret is set, every call gets 503.",
            },
            { term: "Body", detail: '{"ticket_id": "{{ticket.id}}"}' },
          ]}
        />
        <Form action={p.url("/admin/integrations/webhooks")} csrf={p.csrf} label="Webhook settings">
          <Field
            name="wh_enabled"
            type="checkbox"
            label="Accept webhook calls"
            value={checked("webhooks", "wh_enabled", p.webhooks.enabled)}
          />
          <Field
            name="wh_secret"
            type="password"
            label="Shared secret"
            autocomplete="off"
            error={err("webhooks", "wh_secret")}
            hint={p.webhooks.secretConfigured ? "Set. Leave empty to keep it." : "At least 24 characters."}
          />
          <Field
            name="ip_allowlist"
            type="textarea"
            rows={3}
            label="Allowed caller IPs (one per line; empty: any caller with the secret)"
            hint="Compared with the address Nexus received the call from. Behind another reverse proxy that is the proxy's address."
            value={v("webhooks", "ip_allowlist", p.webhooks.settings.ipAllowlist.join("\n"))}
            error={err("webhooks", "ip_allowlist")}
          />
          <FormActions>
            <Button label="Save webhook settings" variant="primary" />
          </FormActions>
        </Form>
      </Card>

      <Card title="Sync schedule" id="schedule">
        <Form action={p.url("/admin/integrations/schedule")} csrf={p.csrf} label="Sync schedule">
          <Table
            columns={[
              { label: "Job" },
              { label: "Enabled" },
              { label: "Cron (min hour day month weekday)" },
              { label: "Next run" },
            ]}
          >
            {p.scheduler.view.map((s) => (
              <tr>
                <Cell>{JOB_LABELS[s.kind]}</Cell>
                <Cell>
                  <Field
                    name={`${s.kind}_enabled`}
                    type="checkbox"
                    label={`Run ${s.kind} on schedule`}
                    value={checked("schedule", `${s.kind}_enabled`, s.enabled)}
                  />
                </Cell>
                <Cell>
                  <Field
                    name={`${s.kind}_cron`}
                    label={`Cron for ${s.kind}`}
                    value={v("schedule", `${s.kind}_cron`, s.cron)}
                    error={err("schedule", `${s.kind}_cron`)}
                  />
                </Cell>
                <Cell>{s.enabled ? when(s.nextRun) : "off"}</Cell>
              </tr>
            ))}
          </Table>
          <Field
            name="run_on_start"
            type="checkbox"
            label="Also run the enabled jobs when Codex starts"
            value={checked("schedule", "run_on_start", p.scheduler.settings.runOnStart)}
          />
          <Field
            name="timezone"
            label="Time zone of the schedule"
            value={v("schedule", "timezone", p.scheduler.settings.timezone)}
            error={err("schedule", "timezone")}
            placeholder="server time, or e.g. America/Chicago"
          />
          <FormActions>
            <Button label="Save schedule" variant="primary" />
          </FormActions>
        </Form>
      </Card>

      <Card title="Run a sync now" id="run">
        {(Object.keys(JOB_LABELS) as JobKind[]).map((kind) => (
          <Form
            action={p.url(`/admin/integrations/run/${kind}`)}
            csrf={p.csrf}
            inline
            label={`Run ${JOB_LABELS[kind]}`}
          >
            <Button label={`Run: ${JOB_LABELS[kind]}`} size="small" />
          </Form>
        ))}
      </Card>

      <Card title="Recent syncs" id="history">
        <Table
          columns={[
            { label: "Job" },
            { label: "Status" },
            { label: "By" },
            { label: "Started" },
            { label: "Seconds", numeric: true },
            { label: "Counts" },
            { label: "Error and log" },
          ]}
        >
          {p.jobs.map((j) => (
            <tr>
              <Cell>{JOB_LABELS[j.kind as JobKind] ?? j.kind}</Cell>
              <Cell>{statusBadge(j.status)}</Cell>
              <Cell>{j.triggeredBy ?? "—"}</Cell>
              <Cell>{when(j.startedAt)}</Cell>
              <Cell numeric>
                {j.startedAt && j.finishedAt
                  ? Math.round((j.finishedAt.getTime() - j.startedAt.getTime()) / 100) / 10
                  : "—"}
              </Cell>
              <Cell>
                {Object.entries(j.counts)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => `${k.replace(/_/g, " ")}: ${n}`)
                  .join(", ") || "—"}
              </Cell>
              <Cell>
                {j.error ?? ""}
                {j.output && (
                  <details>
                    <summary>Log</summary>
                    <pre>{j.output}</pre>
                  </details>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
