import type { Context } from "hono";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import { PageHeader } from "@hivematrix/lib/ui";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Deps } from "../deps.ts";
import { actorOf } from "../shared/request.ts";
import { startRun } from "./runs.ts";
import { dattoClient, freshserviceClient, NotConfiguredError } from "./context.ts";
import { IntegrationError } from "./http.ts";
import { hasIntegrationSecret, saveIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import type { Integrations } from "./service.ts";
import { dattoForm, freshserviceForm, linkForm, scheduleForm, webhookForm } from "./settings-forms.ts";
import { integrationSettingsProps } from "./settings-props.ts";
import { DEFAULT_COMPANY_FIELDS, JOB_KINDS, readSettings, writeSettings, type JobKind } from "./settings.ts";
import { assignAccountNumbers } from "./sync/account-numbers.ts";
import { linkSite } from "./sync/rmm.ts";
import { IntegrationSettings, type IntegrationSettingsProps } from "./views/IntegrationSettings.tsx";
import { JOB_LABELS } from "./views/job-labels.ts";

type Notice = IntegrationSettingsProps["notice"];

const NOTICES: Record<string, Notice> = {
  "saved-freshservice": { variant: "success", title: "Freshservice settings saved." },
  "saved-datto": { variant: "success", title: "Datto RMM settings saved." },
  "saved-webhooks": { variant: "success", title: "Webhook settings saved." },
  "saved-schedule": { variant: "success", title: "Schedule saved; the timers were re-armed." },
  "linked-site": { variant: "success", title: "The site is linked: its AccountNumber variable is set in Datto RMM." },
};

/** What a connection test found that the settings need: the tenant's department fields and workspaces. */
async function connectionReport(integrations: Integrations, provider: "freshservice" | "datto"): Promise<string> {
  if (provider === "datto")
    return (await (await dattoClient(integrations.ctx, { anyway: true })).testConnection()).detail;
  const found = await (await freshserviceClient(integrations.ctx, { anyway: true })).testConnection();
  const fields = found.departmentFields
    .map((field) => `${field.name}${field.label ? ` (${field.label})` : ""}`)
    .join(", ");
  const workspaces = found.workspaces
    .map((space) => `${space.id} ${space.name}${space.primary ? " (primary)" : ""}`)
    .join(", ");
  return [
    found.detail,
    `Department fields: ${fields || "none"}`,
    ...(workspaces ? [`Workspaces (clients): ${workspaces}`] : []),
  ].join(". ");
}

/** The admin pages of the section: GET shows it; each POST saves one form (errors next to fields), then redirects. */
export function integrationsPages(routes: RouteTable, deps: Deps, integrations: Integrations): void {
  const home = deps.config.home;
  const page = async (
    c: Context<AppEnv>,
    extra: Pick<IntegrationSettingsProps, "form" | "notice"> = {},
    status: 200 | 422 = 200,
  ) => {
    const props = await integrationSettingsProps(c, deps, integrations, extra);
    c.status(status);
    return c.render(
      <>
        <PageHeader title="Integrations" />
        <IntegrationSettings {...props} />
      </>,
      { title: "Integrations", section: "admin" },
    );
  };
  const back = (c: Context<AppEnv>, notice: string) =>
    c.redirect(appUrl(c, `/admin/integrations?notice=${notice}`), 303);
  const invalid = (c: Context<AppEnv>, name: string, errors: Record<string, string>, values: Record<string, string>) =>
    page(
      c,
      {
        form: { name, errors, values },
        notice: {
          variant: "error",
          title: "Check the form",
          message: "Some fields need attention; see the messages next to them.",
        },
      },
      422,
    );
  const admin = (method: "get" | "post", path: string) => pageRoute({ method, path, access: PAGES.admin });

  routes.page(admin("get", "/admin/integrations"), async (c) => {
    const key = c.req.query("notice") ?? "";
    const started = /^started-(\w+)$/.exec(key);
    const notice =
      NOTICES[key] ??
      (started && (JOB_KINDS as readonly string[]).includes(started[1]!)
        ? {
            variant: "info" as const,
            title: `Started: ${JOB_LABELS[started[1] as JobKind]}`,
            message: "Its result appears under Recent syncs.",
          }
        : undefined);
    return page(c, { notice });
  });

  routes.page(admin("post", "/admin/integrations/freshservice"), async (c) => {
    const submitted = await formBody(c, freshserviceForm);
    if (!submitted.ok) return invalid(c, "freshservice", submitted.errors, submitted.raw);
    const enabled = submitted.data.fs_enabled === "on";
    if (enabled && !submitted.data.fs_api_key && !hasIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey))
      return invalid(c, "freshservice", { fs_api_key: "Required to turn the integration on." }, submitted.raw);
    const current = (await readSettings(deps.db, "freshservice")).settings;
    const companiesFrom = submitted.data.companies_from ?? current.companiesFrom;
    const clients = submitted.data.clients ?? current.clients;
    if (companiesFrom === "workspaces" && !Object.keys(clients).length)
      return invalid(
        c,
        "freshservice",
        { clients: "Map at least one client workspace to an account number." },
        submitted.raw,
      );
    await writeSettings(
      deps.db,
      "freshservice",
      {
        enabled,
        settings: {
          ...current,
          domain: submitted.data.domain,
          webDomain: submitted.data.web_domain ?? "",
          companiesFrom,
          workspaceIds: submitted.data.workspace_ids ?? current.workspaceIds,
          clients,
          accountNumberField: submitted.data.account_number_field,
          companyFields: submitted.data.company_fields
            ? { ...DEFAULT_COMPANY_FIELDS, ...submitted.data.company_fields }
            : current.companyFields,
          historyStart: submitted.data.history_start,
          statusMap: submitted.data.status_map as typeof current.statusMap,
          priorityMap: submitted.data.priority_map as typeof current.priorityMap,
        },
      },
      actorOf(c).name,
    );
    if (submitted.data.fs_api_key)
      saveIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey, submitted.data.fs_api_key);
    return back(c, "saved-freshservice");
  });

  routes.page(admin("post", "/admin/integrations/datto"), async (c) => {
    const submitted = await formBody(c, dattoForm);
    if (!submitted.ok) return invalid(c, "datto", submitted.errors, submitted.raw);
    const enabled = submitted.data.datto_enabled === "on";
    const missing: Record<string, string> = {};
    if (enabled && !submitted.data.datto_api_key && !hasIntegrationSecret(home, SECRET_NAMES.dattoApiKey))
      missing.datto_api_key = "Required to turn the integration on.";
    if (enabled && !submitted.data.datto_api_secret && !hasIntegrationSecret(home, SECRET_NAMES.dattoApiSecret))
      missing.datto_api_secret = "Required to turn the integration on.";
    if (Object.keys(missing).length) return invalid(c, "datto", missing, submitted.raw);
    const current = await readSettings(deps.db, "datto");
    await writeSettings(
      deps.db,
      "datto",
      {
        enabled,
        settings: {
          ...current.settings,
          apiUrl: submitted.data.api_url,
          accountVariable: submitted.data.account_variable,
          udfLabels: submitted.data.udf_labels,
          backupBytesUdf: submitted.data.backup_bytes_udf || null,
        },
      },
      actorOf(c).name,
    );
    if (submitted.data.datto_api_key)
      saveIntegrationSecret(home, SECRET_NAMES.dattoApiKey, submitted.data.datto_api_key);
    if (submitted.data.datto_api_secret)
      saveIntegrationSecret(home, SECRET_NAMES.dattoApiSecret, submitted.data.datto_api_secret);
    return back(c, "saved-datto");
  });

  routes.page(admin("post", "/admin/integrations/webhooks"), async (c) => {
    const submitted = await formBody(c, webhookForm);
    if (!submitted.ok) return invalid(c, "webhooks", submitted.errors, submitted.raw);
    const enabled = submitted.data.wh_enabled === "on";
    if (enabled && !submitted.data.wh_secret && !hasIntegrationSecret(home, SECRET_NAMES.webhookSecret))
      return invalid(c, "webhooks", { wh_secret: "Set a secret to accept webhook calls." }, submitted.raw);
    await writeSettings(
      deps.db,
      "webhooks",
      { enabled, settings: { ipAllowlist: submitted.data.ip_allowlist } },
      actorOf(c).name,
    );
    if (submitted.data.wh_secret) saveIntegrationSecret(home, SECRET_NAMES.webhookSecret, submitted.data.wh_secret);
    return back(c, "saved-webhooks");
  });

  routes.page(admin("post", "/admin/integrations/schedule"), async (c) => {
    const submitted = await formBody(c, scheduleForm);
    if (!submitted.ok) return invalid(c, "schedule", submitted.errors, submitted.raw);
    const data = submitted.data as Record<string, string | undefined>;
    const jobs = Object.fromEntries(
      JOB_KINDS.map((kind) => [kind, { enabled: data[`${kind}_enabled`] === "on", cron: data[`${kind}_cron`]! }]),
    ) as Record<JobKind, { enabled: boolean; cron: string }>;
    await writeSettings(
      deps.db,
      "scheduler",
      { enabled: true, settings: { runOnStart: data.run_on_start === "on", timezone: data.timezone || null, jobs } },
      actorOf(c).name,
    );
    await integrations.applySchedule();
    return back(c, "saved-schedule");
  });

  routes.page(admin("post", "/admin/integrations/test/{provider}"), async (c) => {
    const provider = c.req.param("provider");
    if (provider !== "freshservice" && provider !== "datto")
      throw new HttpError(404, "not_found", "No such integration.");
    const label = provider === "freshservice" ? "Freshservice" : "Datto RMM";
    let notice: Notice;
    try {
      notice = {
        variant: "success",
        title: `${label}: connection works`,
        message: await connectionReport(integrations, provider),
      };
    } catch (e) {
      if (!(e instanceof IntegrationError) && !(e instanceof NotConfiguredError)) throw e;
      notice = { variant: "error", title: `${label}: connection failed`, message: (e as Error).message };
    }
    return page(c, { notice });
  });

  routes.page(admin("post", "/admin/integrations/run/{kind}"), async (c) => {
    const kind = c.req.param("kind") as JobKind;
    if (!JOB_KINDS.includes(kind)) throw new HttpError(404, "not_found", "No such sync.");
    try {
      await startRun(integrations, kind, actorOf(c).name);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      return page(c, {
        notice: { variant: "error", title: `Could not start: ${JOB_LABELS[kind]}`, message: e.message },
      });
    }
    return back(c, `started-${kind}`);
  });

  routes.page(admin("post", "/admin/integrations/account-numbers"), async (c) => {
    try {
      const assigned = await assignAccountNumbers(integrations.ctx);
      const list = assigned.map((department) => `${department.name}: ${department.account_number}`).join(", ");
      return page(c, {
        notice: {
          variant: "success",
          title: `${assigned.length} department(s) got an account number`,
          message: assigned.length
            ? `${list}. Run the PSA sync to bring them in.`
            : "Every department already has one.",
        },
      });
    } catch (e) {
      if (e instanceof IntegrationError || e instanceof NotConfiguredError)
        return page(c, {
          notice: { variant: "error", title: "Could not assign account numbers", message: e.message },
        });
      throw e;
    }
  });

  routes.page(admin("post", "/admin/integrations/link-site"), async (c) => {
    const submitted = await formBody(c, linkForm);
    if (!submitted.ok) return invalid(c, "link", submitted.errors, submitted.raw);
    try {
      await linkSite(integrations.ctx, submitted.data.site_uid, submitted.data.account_number, actorOf(c).name);
    } catch (e) {
      if (e instanceof IntegrationError && e.kind === "bad_request")
        return invalid(c, "link", { account_number: e.message }, submitted.raw);
      if (e instanceof IntegrationError && e.kind === "not_found")
        return invalid(c, "link", { site_uid: e.message }, submitted.raw);
      if (e instanceof IntegrationError || e instanceof NotConfiguredError) {
        return page(c, {
          notice: { variant: "error", title: "Could not link the site", message: (e as Error).message },
        });
      }
      throw e;
    }
    return back(c, "linked-site");
  });
}
