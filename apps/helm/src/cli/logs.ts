/**
 * `bun run logs [service] [--tail 50] [--level ERROR] [--follow] [--grep TEXT]
 *   [--request-id ID] [--user NAME] [--since 2h] [--json]`
 * Reads Helm's log database directly (the SQLite file under HIVEMATRIX_HOME/data, or
 * HELM_DATABASE_URL), so it works while Helm is down and needs no token: the files are the
 * HiveMatrix user's own. --level means that level and above.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { appConfigFrom, IDENTITY_PROVIDER, loadPlatformConfig, runMain } from "@hivematrix/lib/config";
import { LOG_LEVELS, type LogEntryRow, type LogLevelName } from "../db/schema.ts";
import { openHelmDb } from "../deps.ts";
import { linesAfter, maxLogId, queryLogs } from "../logs/data.ts";
import { lineJson } from "../logs/json.ts";
import { type LogFilter, parseTime } from "../logs/query.ts";
import { paint, printable, type Colour } from "./term.ts";

const LEVEL_COLOUR: Record<LogLevelName, Colour> = {
  DEBUG: "blue",
  INFO: "green",
  WARNING: "yellow",
  ERROR: "red",
  CRITICAL: "redBg",
};

function format(row: LogEntryRow): string {
  const time = row.at.toISOString().replace("T", " ").slice(0, 23);
  const extras = {
    ...(row.requestId ? { request_id: row.requestId } : {}),
    ...(row.user ? { user: row.user } : {}),
    ...(row.context ?? {}),
  };
  const tail = Object.entries(extras)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  const service = paint("cyan", row.service.padEnd(10));
  const level = paint(LEVEL_COLOUR[row.level], row.level.padEnd(8));
  const extra = tail ? ` ${paint("gray", printable(tail))}` : "";
  return `${paint("gray", time)} ${service} ${level} ${printable(row.message)}${extra}`;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

await runMain(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      tail: { type: "string", short: "n", default: "50" },
      level: { type: "string", short: "l" },
      follow: { type: "boolean", short: "f", default: false },
      grep: { type: "string", short: "g" },
      "request-id": { type: "string" },
      user: { type: "string" },
      since: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length > 1) fail("give at most one service name");
  const tail = Number(values.tail);
  if (!Number.isInteger(tail) || tail < 1 || tail > 100_000) fail("--tail takes a number of lines from 1 to 100000");
  const level = values.level?.toUpperCase() === "WARN" ? "WARNING" : values.level?.toUpperCase();
  if (level !== undefined && !LOG_LEVELS.includes(level as LogLevelName))
    fail(`--level is one of ${LOG_LEVELS.join(", ")}`);
  const since = values.since ? parseTime(values.since, false) : undefined;
  if (since === null) fail("--since takes a span such as 15m, 2h, 7d, or a date such as 2025-01-31");

  const platform = loadPlatformConfig();
  const config = appConfigFrom(platform, "helm");
  if (!config.databaseUrl && !existsSync(config.sqlitePath))
    fail(
      `No logs yet: Helm has not stored any (${config.sqlitePath} does not exist). Is it in services.json and running?`,
    );
  const service = positionals[0];
  if (service && !platform.services[service] && service !== IDENTITY_PROVIDER)
    console.error(paint("yellow", `note: "${service}" is not in ${platform.servicesFile}`));

  const db = await openHelmDb(config);
  const filter: LogFilter = {
    service,
    level: level as LogLevelName | undefined,
    text: values.grep,
    requestId: values["request-id"],
    user: values.user,
    from: since,
  };
  const print = (row: LogEntryRow) => console.log(values.json ? JSON.stringify(lineJson(row)) : format(row));

  const { rows } = await queryLogs(db, { ...filter, limit: tail });
  for (const row of rows.reverse()) print(row);
  // --follow continues after the newest line stored so far, whatever its timestamp.
  let lastId = await maxLogId(db);
  if (!values.follow) {
    await db.close();
    return;
  }
  process.on("SIGINT", () => {
    void db.close().finally(() => process.exit(0));
  });
  for (;;) {
    const fresh = await linesAfter(db, lastId, filter);
    for (const row of fresh) print(row);
    if (fresh.length) lastId = fresh.at(-1)!.id;
    else await Bun.sleep(1_000);
  }
});
