import { isIP } from "node:net";
import type { Context } from "hono";
import { z } from "zod";
import { appUrl, prefixOf, type AppEnv } from "@hivematrix/lib/app";
import { HttpError } from "@hivematrix/lib/errors";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { Layout, PageHeader } from "@hivematrix/lib/ui";
import { formBody } from "@hivematrix/lib/validate";
import type { CodexDeps } from "../context.ts";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../db/schema.ts";
import type { RouteTable } from "../routes/registry.ts";
import { actorOf } from "../routes/scope.ts";
import { dattoBaseUrl } from "./datto/client.ts";
import { freshserviceBaseUrl } from "./freshservice/client.ts";
import { startRun } from "./api.ts";
import { dattoClient, freshserviceClient, NotConfiguredError } from "./context.ts";
import { IntegrationError } from "./http.ts";
import { cronProblem } from "./scheduler.ts";
import { hasIntegrationSecret, saveIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import { WEBHOOK_PATH } from "./webhook.ts";
import type { Integrations } from "./service.ts";
import { JOB_KINDS, readSettings, writeSettings, type JobKind } from "./settings.ts";
import { listJobs } from "./sync/jobs.ts";
import { assignAccountNumbers } from "./sync/account-numbers.ts";
import { linkSite } from "./sync/rmm.ts";
import { IntegrationSettings, JOB_LABELS, type IntegrationSettingsProps } from "./views/IntegrationSettings.tsx";

const checkbox = z.literal("on").optional();
const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "id=name" lines → a map, every name checked against `allowed`. */
function mapField(allowed: readonly string[], what: string) {
  return z.string().transform((text, ctx) => {
    const out: Record<string, string> = {};
    for (const line of lines(text)) {
      const m = /^(\d+)\s*=\s*([a-z_]+)$/.exec(line);
      if (!m || !allowed.includes(m[2]!)) {
        ctx.addIssue({ code: "custom", message: `"${line}" is not id=${what}; ${what}s: ${allowed.join(", ")}.` });
        return z.NEVER;
      }
      out[m[1]!] = m[2]!;
    }
    return out;
  });
}

const validWith = (fn: (v: string) => unknown) => (v: string) => {
  try {
    fn(v);
    return true;
  } catch {
    return false;
  }
};

const freshserviceForm = z.object({
  fs_enabled: checkbox,
  domain: z
    .string()
    .trim()
    .min(1, "Required.")
    .refine(validWith(freshserviceBaseUrl), "A host like acme.freshservice.com (or an https URL)."),
  web_domain: z
    .string()
    .trim()
    .refine(
      (v) => v === "" || validWith(freshserviceBaseUrl)(v),
      "A host like support.acme.com (or an https URL), or empty.",
    )
    .optional(),
  fs_api_key: z.string().trim().max(200).optional(),
  workspace_id: z.string().trim().regex(/^\d*$/, "A whole number.").optional(),
  account_number_field: z.string().trim().min(1, "Required.").max(100),
  history_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  status_map: mapField(TICKET_STATUSES, "status"),
  priority_map: mapField(TICKET_PRIORITIES, "priority"),
});

const udfName = /^udf([1-9]|[12]\d|30)$/;
const dattoForm = z.object({
  datto_enabled: checkbox,
  api_url: z
    .string()
    .trim()
    .min(1, "Required.")
    .refine(validWith(dattoBaseUrl), "An https URL like https://merlot-api.centrastage.net."),
  datto_api_key: z.string().trim().max(200).optional(),
  datto_api_secret: z.string().trim().max(200).optional(),
  account_variable: z.string().trim().min(1, "Required.").max(100),
  udf_labels: z.string().transform((text, ctx) => {
    const out: Record<string, string> = {};
    for (const line of lines(text)) {
      const m = /^(udf\d+)\s*=\s*(.{1,100})$/.exec(line);
      if (!m || !udfName.test(m[1]!)) {
        ctx.addIssue({ code: "custom", message: `"${line}" is not udfN=label (udf1 to udf30).` });
        return z.NEVER;
      }
      out[m[1]!] = m[2]!.trim();
    }
    return out;
  }),
  backup_bytes_udf: z
    .string()
    .trim()
    .refine((v) => v === "" || udfName.test(v), "udf1 to udf30, or empty."),
});

const webhookForm = z.object({
  wh_enabled: checkbox,
  wh_secret: z
    .string()
    .trim()
    .refine((v) => v === "" || v.length >= 24, "At least 24 characters.")
    .optional(),
  ip_allowlist: z.string().transform((text, ctx) => {
    const ips = lines(text);
    const bad = ips.find((ip) => !isIP(ip));
    if (bad) ctx.addIssue({ code: "custom", message: `${bad} is not an IP address.` });
    return ips;
  }),
});

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const scheduleForm = z
  .object({
    run_on_start: checkbox,
    timezone: z
      .string()
      .trim()
      .refine((v) => v === "" || validZone(v), "An IANA time zone such as Europe/Berlin, or empty."),
    ...Object.fromEntries(
      JOB_KINDS.flatMap((k) => [
        [`${k}_enabled`, checkbox],
        [`${k}_cron`, z.string().trim().min(1, "Required.")],
      ]),
    ),
  })
  .superRefine((v, ctx) => {
    for (const k of JOB_KINDS) {
      const fields = v as Record<string, string>;
      const problem = cronProblem(fields[`${k}_cron`] ?? "", fields.timezone || null);
      if (problem) ctx.addIssue({ code: "custom", path: [`${k}_cron`], message: `Not a cron expression: ${problem}` });
    }
  });

const linkForm = z.object({
  site_uid: z.string().trim().min(1, "Required.").max(200),
  account_number: z.string().trim().min(1, "Required.").max(50),
});

type Notice = IntegrationSettingsProps["notice"];

/** The props of the integrations section for this request (other admin pages can render it too). */
export async function integrationSettingsProps(
  c: Context<AppEnv>,
  deps: CodexDeps,
  integrations: Integrations,
  extra: Pick<IntegrationSettingsProps, "form" | "notice"> = {},
): Promise<IntegrationSettingsProps> {
  const home = deps.config.home;
  const [fs, datto, webhooks, scheduler] = [
    await readSettings(deps.db, "freshservice"),
    await readSettings(deps.db, "datto"),
    await readSettings(deps.db, "webhooks"),
    await readSettings(deps.db, "scheduler"),
  ];
  return {
    url: (path) => appUrl(c, path),
    csrf: deps.csrf.token(c),
    freshservice: {
      enabled: fs.enabled,
      settings: fs.settings,
      keyConfigured: hasIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey),
    },
    datto: {
      enabled: datto.enabled,
      settings: datto.settings,
      keyConfigured: hasIntegrationSecret(home, SECRET_NAMES.dattoApiKey),
      secretConfigured: hasIntegrationSecret(home, SECRET_NAMES.dattoApiSecret),
    },
    webhooks: {
      enabled: webhooks.enabled,
      settings: webhooks.settings,
      secretConfigured: hasIntegrationSecret(home, SECRET_NAMES.webhookSecret),
      address: webhookAddress(c, deps.config.self),
    },
    scheduler: { settings: scheduler.settings, view: integrations.schedule() },
    jobs: await listJobs(deps.db, { limit: 10 }),
    ...extra,
  };
}

const NOTICES: Record<string, Notice> = {
  "saved-freshservice": { variant: "success", title: "Freshservice settings saved." },
  "saved-datto": { variant: "success", title: "Datto RMM settings saved." },
  "saved-webhooks": { variant: "success", title: "Webhook settings saved." },
  "saved-schedule": { variant: "success", title: "Schedule saved; the timers were re-armed." },
  "linked-site": { variant: "success", title: "The site is linked: its AccountNumber variable is set in Datto RMM." },
};

/** The admin pages behind the section: GET shows it; each POST saves one form (errors next to fields) then redirects. */
export function settingsPages(r: RouteTable, deps: CodexDeps, integrations: Integrations): void {
  const home = deps.config.home;
  const page = async (
    c: Context<AppEnv>,
    extra: Pick<IntegrationSettingsProps, "form" | "notice"> = {},
    status: 200 | 422 = 200,
  ) => {
    const user = c.get("user")!;
    const props = await integrationSettingsProps(c, deps, integrations, extra);
    c.header("Cache-Control", "no-store");
    return c.html(
      <Layout
        title="Integrations"
        app="Codex"
        home={`${prefixOf(c)}/`}
        platformHome={prefixOf(c) ? "/" : undefined}
        user={{ name: user.name || user.preferred_username, level: user.permission_level }}
      >
        <PageHeader title="Integrations" />
        <IntegrationSettings {...props} />
      </Layout>,
      status,
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
  const def = (method: "get" | "post", path: string, summary: string) => ({
    method,
    path,
    access: "admin" as const,
    page: true,
    tag: "Integrations",
    summary,
  });

  r.add(def("get", "/admin/integrations", "Integration settings, schedule and sync history"), async (c) => {
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

  r.add(def("post", "/admin/integrations/freshservice", "Save Freshservice settings"), async (c) => {
    const f = await formBody(c, freshserviceForm);
    if (!f.ok) return invalid(c, "freshservice", f.errors, f.raw);
    const enabled = f.data.fs_enabled === "on";
    if (enabled && !f.data.fs_api_key && !hasIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey))
      return invalid(c, "freshservice", { fs_api_key: "Required to turn the integration on." }, f.raw);
    const current = await readSettings(deps.db, "freshservice");
    await writeSettings(
      deps.db,
      "freshservice",
      {
        enabled,
        settings: {
          ...current.settings,
          domain: f.data.domain,
          webDomain: f.data.web_domain ?? "",
          workspaceId: f.data.workspace_id ? Number(f.data.workspace_id) : null,
          accountNumberField: f.data.account_number_field,
          historyStart: f.data.history_start,
          statusMap: f.data.status_map as typeof current.settings.statusMap,
          priorityMap: f.data.priority_map as typeof current.settings.priorityMap,
        },
      },
      actorOf(c).name,
    );
    if (f.data.fs_api_key) saveIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey, f.data.fs_api_key);
    return back(c, "saved-freshservice");
  });

  r.add(def("post", "/admin/integrations/datto", "Save Datto RMM settings"), async (c) => {
    const f = await formBody(c, dattoForm);
    if (!f.ok) return invalid(c, "datto", f.errors, f.raw);
    const enabled = f.data.datto_enabled === "on";
    const missing: Record<string, string> = {};
    if (enabled && !f.data.datto_api_key && !hasIntegrationSecret(home, SECRET_NAMES.dattoApiKey))
      missing.datto_api_key = "Required to turn the integration on.";
    if (enabled && !f.data.datto_api_secret && !hasIntegrationSecret(home, SECRET_NAMES.dattoApiSecret))
      missing.datto_api_secret = "Required to turn the integration on.";
    if (Object.keys(missing).length) return invalid(c, "datto", missing, f.raw);
    const current = await readSettings(deps.db, "datto");
    await writeSettings(
      deps.db,
      "datto",
      {
        enabled,
        settings: {
          ...current.settings,
          apiUrl: f.data.api_url,
          accountVariable: f.data.account_variable,
          udfLabels: f.data.udf_labels,
          backupBytesUdf: f.data.backup_bytes_udf || null,
        },
      },
      actorOf(c).name,
    );
    if (f.data.datto_api_key) saveIntegrationSecret(home, SECRET_NAMES.dattoApiKey, f.data.datto_api_key);
    if (f.data.datto_api_secret) saveIntegrationSecret(home, SECRET_NAMES.dattoApiSecret, f.data.datto_api_secret);
    return back(c, "saved-datto");
  });

  r.add(def("post", "/admin/integrations/webhooks", "Save webhook settings"), async (c) => {
    const f = await formBody(c, webhookForm);
    if (!f.ok) return invalid(c, "webhooks", f.errors, f.raw);
    const enabled = f.data.wh_enabled === "on";
    if (enabled && !f.data.wh_secret && !hasIntegrationSecret(home, SECRET_NAMES.webhookSecret))
      return invalid(c, "webhooks", { wh_secret: "Set a secret to accept webhook calls." }, f.raw);
    await writeSettings(
      deps.db,
      "webhooks",
      { enabled, settings: { ipAllowlist: f.data.ip_allowlist } },
      actorOf(c).name,
    );
    if (f.data.wh_secret) saveIntegrationSecret(home, SECRET_NAMES.webhookSecret, f.data.wh_secret);
    return back(c, "saved-webhooks");
  });

  r.add(def("post", "/admin/integrations/schedule", "Save the sync schedule"), async (c) => {
    const f = await formBody(c, scheduleForm);
    if (!f.ok) return invalid(c, "schedule", f.errors, f.raw);
    const data = f.data as Record<string, string | undefined>;
    const jobs = Object.fromEntries(
      JOB_KINDS.map((k) => [k, { enabled: data[`${k}_enabled`] === "on", cron: data[`${k}_cron`]! }]),
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

  r.add(
    def("post", "/admin/integrations/test/:provider", "Test a provider connection with the saved settings"),
    async (c) => {
      const provider = c.req.param("provider");
      if (provider !== "freshservice" && provider !== "datto")
        throw new HttpError(404, "not_found", "No such integration.");
      const label = provider === "freshservice" ? "Freshservice" : "Datto RMM";
      let notice: Notice;
      try {
        const client =
          provider === "freshservice"
            ? await freshserviceClient(integrations.ctx, true)
            : await dattoClient(integrations.ctx, true);
        const result = await client.testConnection();
        notice = { variant: "success", title: `${label}: connection works`, message: result.detail };
      } catch (e) {
        if (!(e instanceof IntegrationError) && !(e instanceof NotConfiguredError)) throw e;
        notice = { variant: "error", title: `${label}: connection failed`, message: (e as Error).message };
      }
      return page(c, { notice });
    },
  );

  r.add(def("post", "/admin/integrations/run/:kind", "Start a sync now"), async (c) => {
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

  r.add(
    def(
      "post",
      "/admin/integrations/account-numbers",
      "Give Freshservice departments without an account number a unique one",
    ),
    async (c) => {
      try {
        const assigned = await assignAccountNumbers(integrations.ctx);
        const list = assigned.map((a) => `${a.name}: ${a.account_number}`).join(", ");
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
    },
  );

  r.add(def("post", "/admin/integrations/link-site", "Link a Datto site to a company"), async (c) => {
    const f = await formBody(c, linkForm);
    if (!f.ok) return invalid(c, "link", f.errors, f.raw);
    try {
      await linkSite(integrations.ctx, f.data.site_uid, f.data.account_number, actorOf(c).name);
    } catch (e) {
      if (e instanceof IntegrationError && e.kind === "bad_request")
        return invalid(c, "link", { account_number: e.message }, f.raw);
      if (e instanceof IntegrationError && e.kind === "not_found")
        return invalid(c, "link", { site_uid: e.message }, f.raw);
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

/**
 * Where Freshservice sends the webhook, or null when nothing outside this machine can reach it.
 * Codex listens on loopback only, so the one way in is through Nexus, which forwards a path
 * without a session only under a prefix of Codex's publicPaths (the same rule as Nexus's).
 * Seen on Codex's own port, the page does not know Nexus's public name and says so.
 */
function webhookAddress(c: Context<AppEnv>, self: ServiceEntry): string | null {
  if (!self.publicPaths.some((prefix) => WEBHOOK_PATH.startsWith(prefix))) return null;
  const prefix = prefixOf(c);
  const host = c.req.header("x-forwarded-host");
  if (!prefix || !host) return `https://<Nexus's public address>/${self.name}${WEBHOOK_PATH}`;
  const proto = c.req.header("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}${prefix}${WEBHOOK_PATH}`;
}
