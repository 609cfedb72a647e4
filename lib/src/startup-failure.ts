// What runMain prints when a process cannot start: one line that names what to fix, never a
// stack. It knows databases, files and the runtime's errors; configuration errors are config.ts's.

/** The database setting of the app that is starting (appConfigFrom records it). */
export interface DatabaseSetting {
  /** e.g. CODEX_DATABASE_URL */
  variable: string;
  url: string | null;
  sqlitePath: string;
}

/** A postgres:// URL with its password replaced, fit for a message. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}

type Coded = Error & { code?: unknown; path?: unknown; hostname?: unknown; address?: unknown; port?: unknown };

/** The error and its causes (drizzle wraps the driver's), outermost first. */
function chain(e: unknown): Coded[] {
  const out: Coded[] = [];
  for (let cur = e; cur instanceof Error && out.length < 6; cur = cur.cause) out.push(cur as Coded);
  return out;
}

/** PostgreSQL's answers that no waiting can fix, by SQLSTATE, with what to do. */
const POSTGRES_REFUSALS: Record<string, string> = {
  "28P01": "fix the user name or password in it",
  "28000": "the server refuses this user from here (pg_hba.conf) or the user does not exist",
  "3D000": "create that database or fix its name in the URL",
  "42501": "give that user the privileges it needs on the database",
};

function postgresProblem(error: Coded, db: DatabaseSetting & { url: string }): string | null {
  const where = `${db.variable} (${redactedUrl(db.url)})`;
  const code = String(error.code);
  const fix = POSTGRES_REFUSALS[code];
  if (fix) return `database error: ${where}: ${error.message} [${code}]; ${fix}`;
  if (code === "ENOTFOUND") return `database error: ${where}: no host named ${String(error.hostname)}; fix the URL`;
  if (code === "ECONNREFUSED")
    return `database error: ${where}: nothing listens at ${String(error.address)}:${String(error.port)}; start PostgreSQL or fix the URL`;
  if (code === "CONNECT_TIMEOUT") return `database error: ${where}: ${error.message}; is the host right and reachable?`;
  return null;
}

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "no such file or folder",
  ENOTDIR: "a file stands where a folder should be",
  EISDIR: "a folder stands where a file should be",
  EEXIST: "already exists",
  ENOSPC: "no space left on the device",
};

/** First `at …` location of a stack, so even an unexpected failure stays one line yet says where. */
function origin(error: Error): string {
  const frame = error.stack?.split("\n").find((l) => /^\s+at /.test(l));
  const place = frame && /\(?((?:\/|[A-Za-z]:)[^()]+:\d+:\d+)\)?$/.exec(frame.trim())?.[1];
  return place ? ` (at ${place})` : "";
}

/** One line for an error that stopped a process before it served anything. */
export function describeStartupFailure(e: unknown, db: DatabaseSetting | null): string {
  const errors = chain(e);
  for (const error of errors) {
    const code = typeof error.code === "string" ? error.code : null;
    if (!code) continue;
    if (db?.url) {
      const line = postgresProblem(error, { ...db, url: db.url });
      if (line) return line;
    }
    if (code.startsWith("SQLITE_") && db)
      return `database error: ${db.sqlitePath}: ${error.message} [${code}]; fix or move that file (or set ${db.variable})`;
    if (FILE_PROBLEMS[code] && typeof error.path === "string")
      return `file error: ${error.path}: ${FILE_PROBLEMS[code]} [${code}]`;
  }
  const error = errors.at(-1);
  if (!error) return `cannot start: ${String(e)}`;
  return `cannot start: ${error.name}: ${error.message.split("\n")[0]}${origin(error)}`;
}
