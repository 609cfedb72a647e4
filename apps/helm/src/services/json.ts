import { z } from "zod";
import { metricPointSchema } from "../metrics/json.ts";

const healthSchema = z
  .discriminatedUnion("state", [
    z.object({ state: z.literal("healthy"), ms: z.number() }),
    z.object({ state: z.literal("unhealthy"), ms: z.number(), detail: z.string() }),
    z.object({ state: z.literal("down"), detail: z.string() }),
  ])
  .meta({ description: "What a GET of its /health said, and how fast" });

export type Health = z.infer<typeof healthSchema>;

/** What the supervisor says of a unit it runs. */
const supervisedSchema = z.object({
  status: z
    .enum(["stopped", "starting", "running", "restarting"])
    .meta({ description: "restarting: it crashed or was not healthy in time and is being retried (see lastError)" }),
  restarts: z.number().int(),
  message: z.string().nullable(),
  lastError: z.string().nullable(),
  lastExit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), at: z.string() }).nullable(),
});

/** A unit of the platform with its live state. */
const serviceStatusSchema = z.object({
  name: z.string(),
  title: z.string(),
  url: z.string(),
  host: z.string().meta({ description: "The address services.json (or KEYCLOAK_URL) tells it to bind" }),
  port: z.number().int(),
  supervisor: supervisedSchema.nullable().meta({ description: "Null when the supervisor does not run this unit" }),
  pid: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  uptimeSeconds: z.number().int().nullable(),
  rssBytes: z.number().nullable(),
  listening: z.array(z.string()).meta({ description: "Where it really listens (host:port), from /proc/net/tcp" }),
  exposed: z.boolean().meta({ description: "Listening beyond loopback" }),
  health: healthSchema,
});

export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/** A unit with its traffic charts, as the services page and GET /api/services show it. */
export const serviceSchema = serviceStatusSchema
  .extend({ metrics: z.array(metricPointSchema).meta({ description: "The chart points, oldest first" }) })
  .meta({ id: "Service" });

export type ServiceRow = z.infer<typeof serviceSchema>;

/** The supervisor's last restart of every app (scripts/supervisor/restart-all.ts). */
export const restartAllSchema = z
  .object({
    status: z.enum(["running", "done", "failed"]),
    by: z.string().nullable(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    order: z.array(z.string()).meta({ description: "The apps in restart order: Core first, Nexus last" }),
    done: z.array(z.string()).meta({ description: "Restarted and healthy again" }),
    current: z.string().nullable().meta({ description: "Being restarted now" }),
    skipped: z.array(z.string()).meta({ description: "Stopped when their turn came, so left stopped" }),
    error: z.string().nullable().meta({ description: "Why the sequence stopped early" }),
  })
  .meta({ id: "RestartAll" });

export const servicesSchema = z.object({
  supervisor: z.boolean().meta({ description: "Whether the supervisor of `bun run start` answers" }),
  services: z.array(serviceSchema),
  restart_all: restartAllSchema
    .nullable()
    .meta({ description: "The last restart of every app since the supervisor started, or null" }),
});

export const controlParams = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a service name"),
  action: z.enum(["start", "stop", "restart"]),
});
