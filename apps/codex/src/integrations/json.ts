import { z } from "zod";
import { SYNC_STATUSES, type SyncJob } from "../db/schema.ts";
import { JOB_KINDS } from "./settings.ts";
import { type LiveState, progressOf } from "./sync/report.ts";

/** The API's shapes of sync runs, Datto devices and the PSA's links. */

const waiting = z.object({ reason: z.string(), until: z.string() }).nullable();

export const jobSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    provider: z.string(),
    status: z.enum(SYNC_STATUSES),
    triggered_by: z.string().nullable(),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    finished_at: z.iso.datetime().nullable(),
    duration_ms: z.number().int().nullable(),
    counts: z.record(z.string(), z.number()),
    /** Pages, requests, items written and waits, from the counts (and while it runs, its live state). */
    progress: z.object({
      phase: z.string().nullable(),
      pages: z.number(),
      requests: z.number(),
      items_written: z.number(),
      waits: z.number(),
      waited_seconds: z.number(),
      waiting,
    }),
    output: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "SyncJob" });
type JobJson = z.infer<typeof jobSchema>;

/**
 * A run as the API and the settings page show it. Its `progress` (pages, requests, items
 * written, waits) comes from its counts, and while it runs from its live state (what it is
 * doing, and until when it waits).
 */
export function jobJson(job: SyncJob, live: LiveState | null = null): JobJson {
  return {
    id: job.id,
    kind: job.kind,
    provider: job.provider,
    status: job.status,
    triggered_by: job.triggeredBy,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    duration_ms: job.startedAt && job.finishedAt ? job.finishedAt.getTime() - job.startedAt.getTime() : null,
    counts: job.counts,
    progress: progressOf(job.counts, live),
    output: job.output,
    error: job.error,
  };
}

export const startedSchema = z.object({
  success: z.literal(true),
  job_id: z.string(),
  message: z.string(),
  /** Where to poll the run. */
  status_url: z.string(),
  job: jobSchema,
});

export const lastRunsSchema = z.object({
  kind: z.enum(JOB_KINDS),
  last: jobSchema.nullable(),
  last_success: jobSchema.nullable(),
  last_success_at: z.iso.datetime().nullable(),
});

export const jobsQuery = z
  .object({
    kind: z.enum(JOB_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const jobsSchema = z.object({
  jobs: z.array(jobSchema),
  schedule: z.array(
    z.object({
      kind: z.enum(JOB_KINDS),
      enabled: z.boolean(),
      cron: z.string(),
      next_run: z.iso.datetime().nullable(),
    }),
  ),
});

export const assignedSchema = z.object({
  success: z.literal(true),
  assigned: z.array(z.object({ department_id: z.number(), name: z.string(), account_number: z.string() })),
  message: z.string(),
});

const text = z.string().nullable();
export const deviceSchema = z
  .object({
    uid: z.string(),
    hostname: text,
    site_uid: text,
    site_name: text,
    category: text,
    type: text,
    operating_system: text,
    description: text,
    online: z.boolean().nullable(),
    internal_ip: text,
    external_ip: text,
    domain: text,
    last_logged_in_user: text,
    last_seen_at: text,
    last_reboot_at: text,
    last_audit_at: text,
    antivirus_product: text,
    antivirus_status: text,
    patch_status: text,
    portal_url: text,
    web_remote_url: text,
  })
  .meta({ id: "DattoDevice" });

export const devicesQuery = z.object({ site_uid: z.string().min(1).max(200).optional() }).strict();
export const linkBody = z.object({ account_number: z.string().trim().min(1).max(50) }).strict();

export const psaConfigSchema = z.object({
  default_provider: z.string().nullable(),
  providers: z.record(
    z.string(),
    z.object({
      name: z.string(),
      enabled: z.boolean(),
      web_url: z.string(),
      ticket_url_template: z.string(),
      company_url_template: z.string(),
      contact_url_template: z.string(),
    }),
  ),
});
