import { join } from "node:path";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import { notFound } from "@hivematrix/lib/errors";
import type { Notice } from "@hivematrix/lib/page";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import type { FieldErrors } from "@hivematrix/lib/ui";
import { formBody } from "@hivematrix/lib/validate";
import { HELM_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { formatBytes } from "../services/format.ts";
import { listArchives } from "./archives.ts";
import { findRun } from "./data.ts";
import { archiveParams, scheduleInput } from "./json.ts";
import { type BackupsStatus, backupsStatus, changeSchedule } from "./state.ts";
import { BackupsPage } from "./views.tsx";

const noticeQuery = z.object({
  run: z.coerce.number().int().min(1).max(999_999_999).optional(),
  saved: z.literal("schedule").optional(),
});

/** How often the page reloads itself while a backup runs (it needs no script for that). */
const REFRESH_SECONDS = 3;

const scheduleValues = (status: BackupsStatus) => ({
  cron: status.schedule.cron ?? "",
  keep_daily: String(status.schedule.keep_daily),
  keep_weekly: String(status.schedule.keep_weekly),
});

/** What the page says of the backup just started (looked up by id, so a link cannot put words on the page). */
async function noticeOf(c: Context<AppEnv>, deps: Deps): Promise<Notice | null> {
  const query = noticeQuery.safeParse(c.req.query());
  if (!query.success) return null;
  if (query.data.saved) return { variant: "success", text: "The schedule is saved and in force." };
  const run = query.data.run ? await findRun(deps.db, query.data.run) : null;
  if (!run) return null;
  if (run.outcome === "running") return { variant: "info", text: `Backup ${run.id} started.` };
  if (run.outcome === "failed") return { variant: "error", text: `Backup ${run.id} failed: ${run.message}` };
  const size = run.bytes === null ? "" : ` (${formatBytes(run.bytes)})`;
  return { variant: "success", text: `Backup ${run.id} written: ${run.file}${size}.` };
}

/** The backups page (admins): back up now, the schedule and retention, the archives to download. */
export function backupsPages(routes: RouteTable, deps: Deps) {
  const page = { title: "Backups", section: "backups" };
  const props = async (form: { values: Record<string, string>; errors: FieldErrors } | null = null) => {
    const status = await backupsStatus(deps);
    return { status, values: form?.values ?? scheduleValues(status), errors: form?.errors ?? {} };
  };

  routes.page(pageRoute({ method: "get", path: "/backups", access: HELM_ACCESS.adminPeople }), async (c) => {
    const shown = await props();
    return c.render(<BackupsPage {...shown} />, {
      ...page,
      notice: await noticeOf(c, deps),
      refreshSeconds: shown.status.running ? REFRESH_SECONDS : undefined,
    });
  });

  routes.page(pageRoute({ method: "post", path: "/backups/run", access: HELM_ACCESS.adminPeople }), async (c) => {
    const runId = await deps.backups.runner.start("manual", c.get("user")!.preferred_username);
    if (runId !== null) return c.redirect(c.get("page")!.url(`/backups?run=${runId}`), 303);
    c.status(409);
    return c.render(<BackupsPage {...(await props())} error="A backup is already running; wait for it to finish." />, {
      ...page,
      refreshSeconds: REFRESH_SECONDS,
    });
  });

  routes.page(pageRoute({ method: "post", path: "/backups/schedule", access: HELM_ACCESS.adminPeople }), async (c) => {
    const form = await formBody(c, scheduleInput);
    if (!form.ok) {
      c.status(422);
      return c.render(<BackupsPage {...(await props({ values: form.raw, errors: form.errors }))} />, page);
    }
    const actor = c.get("user")!.preferred_username;
    const schedule = await changeSchedule(deps, form.data, actor);
    c.get("log").info(`backup schedule set to ${schedule.cron ?? "none"}`, { user: actor });
    return c.redirect(c.get("page")!.url("/backups?saved=schedule"), 303);
  });

  routes.page(
    pageRoute({ method: "get", path: "/backups/download/{name}", access: HELM_ACCESS.adminPeople }),
    async (c) => {
      const params = archiveParams.safeParse(c.req.param());
      const folder = deps.settings.backup.dir;
      // Only an archive the folder lists is served: no other name, and never a path.
      const archive = params.success ? listArchives(folder).find((a) => a.name === params.data.name) : undefined;
      if (!archive) throw notFound("There is no such backup.");
      c.get("log").info(`backup ${archive.name} downloaded`, { user: c.get("user")!.preferred_username });
      c.header("Content-Type", "application/octet-stream");
      c.header("Content-Length", String(archive.bytes));
      c.header("Content-Disposition", `attachment; filename="${archive.name}"`);
      return c.body(Bun.file(join(folder, archive.name)).stream());
    },
  );
}
