import { Alert } from "@hivematrix/lib/ui";
import type { ScheduleView } from "../scheduler.ts";
import type { DattoSettings, FreshserviceSettings, SchedulerSettings } from "../settings.ts";
import { DattoCard } from "./DattoCard.tsx";
import { formState, type SubmittedForm } from "./form-state.tsx";
import { FreshserviceCard } from "./FreshserviceCard.tsx";
import { ScheduleCard } from "./ScheduleCard.tsx";
import { SyncHistory, type SyncHistoryProps } from "./SyncHistory.tsx";
import { WebhookCard, type WebhookCardProps } from "./WebhookCard.tsx";

/** Everything the integration settings section shows; built by settings-props. */
export interface IntegrationSettingsProps {
  /** Builds a link to a path of this app (prefix-aware). */
  url: (path: string) => string;
  csrf: string;
  freshservice: { enabled: boolean; settings: FreshserviceSettings; keyConfigured: boolean };
  datto: { enabled: boolean; settings: DattoSettings; keyConfigured: boolean; secretConfigured: boolean };
  /** The webhook's address on Codex itself (not through the gateway). */
  webhooks: WebhookCardProps["webhooks"];
  scheduler: { settings: SchedulerSettings; view: ScheduleView[] };
  jobs: SyncHistoryProps["jobs"];
  /** Which form the errors and raw values belong to, to re-render it with messages next to fields. */
  form?: SubmittedForm;
  /** Outcome of the last action (saved, connection test, run started). */
  notice?: { variant: "success" | "error" | "info"; title: string; message?: string };
}

/**
 * The integrations section of Codex's admin settings: provider credentials (never shown back,
 * only whether they are set), a real connection test, the sync schedule with next run times,
 * run-now buttons and the recent sync history with the progress of running syncs. Plain forms,
 * CSRF-protected, no JavaScript.
 */
export function IntegrationSettings(p: IntegrationSettingsProps) {
  const form = formState(p.form);
  const common = { url: p.url, csrf: p.csrf, form };
  return (
    <>
      {p.notice && (
        <Alert variant={p.notice.variant} title={p.notice.title}>
          {p.notice.message}
        </Alert>
      )}
      <FreshserviceCard {...common} freshservice={p.freshservice} />
      <DattoCard {...common} datto={p.datto} />
      <WebhookCard {...common} webhooks={p.webhooks} />
      <ScheduleCard {...common} scheduler={p.scheduler} />
      <SyncHistory url={p.url} jobs={p.jobs} />
    </>
  );
}
