import { join } from "node:path";
import postgres from "postgres";
import { redactedUrl } from "../startup-failure.ts";
import { OperationRefused } from "./errors.ts";
import { chunksOf } from "./streams.ts";
import type { AppDatabase } from "./layout.ts";

export interface PgTool {
  path: string;
  version: string;
  major: number;
}

/**
 * pg_dump or pg_restore: from HIVEMATRIX_PG_BIN when set, else from PATH (Debian's wrapper
 * there picks the newest installed client). `why` names the app that needs it.
 */
export function pgTool(name: "pg_dump" | "pg_restore", pgBin: string | null, why: string): PgTool {
  const path = pgBin ? join(pgBin, name) : Bun.which(name);
  const fix =
    `install PostgreSQL's client tools (apt-get install postgresql-client) or set HIVEMATRIX_PG_BIN ` +
    `to their folder`;
  if (!path) throw new OperationRefused(`${name} is not installed and ${why} runs on PostgreSQL: ${fix}`);
  let out: string;
  try {
    const run = Bun.spawnSync([path, "--version"], { stdout: "pipe", stderr: "pipe" });
    out = run.stdout.toString();
    if (run.exitCode !== 0) throw new Error(run.stderr.toString().trim());
  } catch (e) {
    throw new OperationRefused(`${path} does not run (${(e as Error).message.split("\n")[0]}): ${fix}`);
  }
  const m = /(\d+)(?:\.(\d+))?/.exec(out);
  if (!m)
    throw new OperationRefused(`${path} --version said ${JSON.stringify(out.trim())}: is it PostgreSQL's ${name}?`);
  return { path, version: m[2] ? `${m[1]}.${m[2]}` : m[1]!, major: Number(m[1]) };
}

/** How a database is named in messages: its variable and its URL without the password. */
export function describeDatabase(db: AppDatabase): string {
  return `${db.app}'s database (${db.variable}=${redactedUrl(db.url!)})`;
}

/**
 * What libpq tools need to reach a URL: the URL without its password (arguments are visible to
 * every user in `ps`), and the password in PGPASSWORD.
 */
export function libpqTarget(url: string): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return {
    dbname: parsed.toString(),
    env: { ...(password ? { PGPASSWORD: password } : {}), PGCONNECT_TIMEOUT: "10" },
  };
}

/** The same server, another database (for CREATE and RENAME, which cannot run inside the target). */
export function urlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
}

/** Runs `fn` with a one-connection client; a server that cannot be reached is one line naming the setting. */
export async function withClient<T>(url: string, what: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await fn(sql);
  } catch (e) {
    if (e instanceof OperationRefused) throw e;
    const code = (e as { code?: unknown }).code;
    throw new OperationRefused(`${what}: ${(e as Error).message}${typeof code === "string" ? ` [${code}]` : ""}`);
  } finally {
    await sql.end({ timeout: 5 }).catch(() => {});
  }
}

/** The server's major version, e.g. 15. */
export async function serverVersion(sql: postgres.Sql): Promise<{ text: string; major: number }> {
  const [row] = await sql<{ server_version_num: string; server_version: string }[]>`
    SELECT current_setting('server_version_num') AS server_version_num,
           current_setting('server_version') AS server_version`;
  return { text: row!.server_version.split(" ")[0]!, major: Math.floor(Number(row!.server_version_num) / 10000) };
}

/** Runs a libpq tool to the end; its last `error:` line (or last line) when it fails. */
export async function runTool(
  argv: string[],
  env: Record<string, string>,
  onLine: (line: string) => void = () => {},
): Promise<{ ok: boolean; error: string }> {
  const proc = Bun.spawn(argv, { env: { ...process.env, ...env }, stdout: "ignore", stderr: "pipe", stdin: "ignore" });
  const lines: string[] = [];
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of chunksOf(proc.stderr)) {
    partial += decoder.decode(chunk, { stream: true });
    const parts = partial.split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 50) lines.shift();
      onLine(line);
    }
  }
  if (partial) lines.push(partial);
  const ok = (await proc.exited) === 0;
  const error = lines.findLast((l) => /error:/i.test(l)) ?? lines.at(-1) ?? `exit code ${proc.exitCode}`;
  return { ok, error: error.replace(/^\S+: (error: )?/, "") };
}
