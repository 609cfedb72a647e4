import { z } from "zod";
import { conflict } from "@hivematrix/lib/errors";
import { errorSchema, jsonRequest, jsonResponse } from "@hivematrix/lib/openapi";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { HELM_ACCESS, jsonContentType } from "../access.ts";
import type { Deps } from "../deps.ts";
import { backupsStatusSchema, scheduleInput, scheduleSchema } from "./json.ts";
import { backupsStatus, changeSchedule } from "./state.ts";

const statusRoute = apiRoute({
  method: "get",
  path: "/api/backups",
  access: HELM_ACCESS.admin,
  tags: ["Backups"],
  summary: "Backups: the one under way, the schedule and retention, Helm's recent runs and the archives in the folder",
  responses: { 200: jsonResponse("The state of backups", backupsStatusSchema) },
});

const runRoute = apiRoute({
  method: "post",
  path: "/api/backups",
  access: HELM_ACCESS.adminPeople,
  tags: ["Backups"],
  summary: "Back up now: starts a backup of the whole install in the background",
  description:
    "Send Content-Type: application/json (the body may be empty or {}). Answers at once with the run's id; GET" +
    " /api/backups shows its progress and result. One backup runs at a time: another while it runs is a 409.",
  middleware: jsonContentType,
  request: { body: { content: { "application/json": { schema: z.object({}) } } } },
  responses: {
    202: jsonResponse("Started", z.object({ run_id: z.number().int(), message: z.string() })),
    409: jsonResponse("A backup is already running", errorSchema),
  },
});

const scheduleRoute = apiRoute({
  method: "put",
  path: "/api/backups/schedule",
  access: HELM_ACCESS.adminPeople,
  tags: ["Backups"],
  summary: "Set the backup schedule (a cron expression in UTC, or none) and how many backups to keep",
  description:
    "Retention runs after each backup Helm makes: the newest backup of each of the last keep_daily days and of" +
    " each of the last keep_weekly weeks stay, other archives in the folder go.",
  request: { body: jsonRequest(scheduleInput) },
  responses: { 200: jsonResponse("Saved; the new schedule is in force", scheduleSchema) },
});

export function backupsApi(routes: RouteTable, deps: Deps) {
  routes.api(statusRoute, async (c) => c.json(await backupsStatus(deps), 200));

  routes.api(runRoute, async (c) => {
    // People only (the route's rule): a service token cannot start a backup.
    const actor = c.get("user")!.preferred_username;
    const runId = await deps.backups.runner.start("manual", actor);
    if (runId === null) throw conflict("A backup is already running; wait for it to finish.");
    return c.json({ run_id: runId, message: `Backup ${runId} started.` }, 202);
  });

  routes.api(scheduleRoute, async (c) => {
    const actor = c.get("user")!.preferred_username;
    const schedule = await changeSchedule(deps, c.req.valid("json"), actor);
    c.get("log").info(`backup schedule set to ${schedule.cron ?? "none"}`, { user: actor });
    return c.json(schedule, 200);
  });
}
