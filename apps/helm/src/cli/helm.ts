/**
 * `bun run helm status|start|stop|restart <service>`: the services page in a terminal. Talks to
 * the supervisor's control socket (HIVEMATRIX_HOME/run/supervisor.sock) directly, so it works
 * whether or not Helm is running, and without a token: only the user running HiveMatrix can
 * open the socket. Start/stop/restart are added to Helm's recent-actions list (its database,
 * as `bun run logs` reads it), so the services page shows what was done from a terminal too.
 */
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { appConfigFrom, loadPlatformConfig, runMain, type PlatformConfig } from "@hivematrix/lib/config";
import { openHelmDb } from "../deps.ts";
import { PAST } from "../services/control.ts";
import { type NewAction, recordAction } from "../services/data.ts";
import { formatBytes, formatDuration } from "../services/format.ts";
import type { ServiceStatus } from "../services/json.ts";
import { collectStatus } from "../services/status.ts";
import { type ControlAction, supervisorClient } from "../services/supervisor-client.ts";
import { paint, table, type Colour } from "./term.ts";

const USAGE = "usage: bun run helm status [--json]\n       bun run helm start|stop|restart <service>";
const STATE_COLOUR: Record<string, Colour> = {
  running: "green",
  starting: "cyan",
  restarting: "yellow",
  stopped: "gray",
};

function healthText(service: ServiceStatus): string {
  if (service.health.state === "healthy") return paint("green", `healthy ${service.health.ms} ms`);
  if (service.health.state === "unhealthy") return paint("yellow", `unhealthy (${service.health.detail})`);
  return paint("red", "down");
}

/** Records a terminal action where Helm keeps them; a Helm that has never run has nowhere to, which is fine. */
async function remember(platform: PlatformConfig, action: NewAction): Promise<void> {
  const config = appConfigFrom(platform, "helm");
  if (!config.databaseUrl && !existsSync(config.sqlitePath)) return;
  try {
    const db = await openHelmDb(config);
    await recordAction(db, action);
    await db.close();
  } catch (e) {
    console.error(paint("yellow", `(not added to Helm's recent actions: ${(e as Error).message})`));
  }
}

await runMain(async () => {
  const [command, name, ...extra] = process.argv.slice(2);
  const config = loadPlatformConfig();
  const client = supervisorClient(config.home);

  if (command === "status" && (name === undefined || name === "--json") && extra.length === 0) {
    const { services, supervisorUp } = await collectStatus(config, client);
    if (name === "--json") {
      console.log(JSON.stringify({ supervisor: supervisorUp, services }, null, 2));
      return;
    }
    if (!supervisorUp)
      console.error(
        paint(
          "yellow",
          `No supervisor answers at ${client.path}: start HiveMatrix with \`bun run start\`.` +
            " Showing what is reachable.",
        ),
      );
    const rows = [["SERVICE", "STATE", "HEALTH", "PID", "UPTIME", "MEMORY", "LISTENING"].map((h) => paint("bold", h))];
    for (const service of services) {
      const state = service.supervisor
        ? paint(STATE_COLOUR[service.supervisor.status] ?? "gray", service.supervisor.status)
        : paint("gray", "not managed");
      const listening = service.listening.join(", ") || paint("gray", `— (port ${service.port})`);
      rows.push([
        service.name,
        state,
        healthText(service),
        String(service.pid ?? "—"),
        formatDuration(service.uptimeSeconds),
        formatBytes(service.rssBytes),
        service.exposed && service.name !== "nexus" ? paint("red", `${listening} EXPOSED`) : listening,
      ]);
    }
    console.log(table(rows));
    for (const service of services)
      if (service.supervisor?.status === "restarting")
        console.log(paint("yellow", `${service.name}: ${service.supervisor.message}`));
    process.exit(supervisorUp ? 0 : 1);
  }

  if ((command === "start" || command === "stop" || command === "restart") && name && extra.length === 0) {
    const started = performance.now();
    const action = command as ControlAction;
    const actor = `${process.env.USER || userInfo().username} via bun run helm`;
    const result = await client.act(name, action, actor);
    if (!result.ok) {
      await remember(config, {
        service: name,
        action,
        actor,
        outcome: result.status === 404 ? "refused" : "failed",
        message: result.message,
      });
      console.error(paint("red", `${command} ${name} failed: ${result.message}`));
      process.exit(1);
    }
    const service = result.service;
    await remember(config, {
      service: name,
      action,
      actor,
      outcome: "done",
      message: `${PAST[action]} ${name}${service.pid ? ` (pid ${service.pid})` : ""}.`,
    });
    const state = paint(STATE_COLOUR[service.status] ?? "gray", service.status);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${paint("green", "✓")} ${name} is ${state}${service.pid ? ` (pid ${service.pid})` : ""} after ${seconds} s`,
    );
    return;
  }

  console.error(USAGE);
  process.exit(2);
});
