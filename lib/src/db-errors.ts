// Telling database errors apart on both engines, without loading a driver (lib/app uses it too).

/** The innermost `cause` (drizzle wraps the driver's error in its own). */
function rootCause(e: unknown): unknown {
  let cur = e;
  for (
    let i = 0;
    i < 5 && cur && typeof cur === "object" && "cause" in cur && (cur as { cause?: unknown }).cause;
    i++
  ) {
    cur = (cur as { cause: unknown }).cause;
  }
  return cur;
}

function codeOf(err: unknown): unknown {
  return err && typeof err === "object" ? (err as { code?: unknown }).code : undefined;
}

/** True when `e` is a unique-constraint violation on either engine. */
export function isUniqueViolation(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    if (!err || typeof err !== "object") continue;
    const code = codeOf(err);
    if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (String((err as Error).message).includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

/** True when `e` is a foreign-key violation on either engine. */
export function isForeignKeyViolation(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    if (!err || typeof err !== "object") continue;
    const code = codeOf(err);
    if (code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY") return true;
    if (String((err as Error).message).includes("FOREIGN KEY constraint failed")) return true;
  }
  return false;
}

/**
 * True when `e` is PostgreSQL's "data exception" class (22xxx): a value the column cannot hold
 * (a number out of range, a NUL character in text). That is bad input validation let through,
 * so it is answered as a 400, not a 500.
 */
export function isDataException(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    const code = codeOf(err);
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/** Raised by lib/db when the database does not answer in time (connect or statement). */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  readonly code = "DATABASE_UNAVAILABLE";
}

// postgres.js's own connection failures, and the system errors of a socket to a server that is gone.
const CONNECTION_CODES = new Set([
  "DATABASE_UNAVAILABLE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "SQLITE_BUSY",
]);
// PostgreSQL's own: connection exceptions (08), shutting down or starting up (57P0x), the statement
// timeout and a cancelled query (57014), too many connections (53300), out of resources (53xxx).
const POSTGRES_UNAVAILABLE = /^(08...|57P0[1-4]|57014|53...)$/;

/**
 * True when `e` means the database could not be reached or did not answer in time (a server that
 * is down, restarting, overloaded or cut off, or a SQLite file locked past the busy timeout):
 * worth retrying later, so it is answered 503 with Retry-After rather than 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    if (err instanceof DatabaseUnavailableError) return true;
    const code = codeOf(err);
    if (typeof code !== "string") continue;
    if (CONNECTION_CODES.has(code) || code.startsWith("SQLITE_BUSY") || POSTGRES_UNAVAILABLE.test(code)) return true;
  }
  return false;
}

/** A database host that no name server knows: a typo in the URL, which waiting at start-up cannot cure. */
export function isUnknownHost(e: unknown): boolean {
  return [e, rootCause(e)].some((err) => codeOf(err) === "ENOTFOUND");
}

/** Which constraint a unique violation broke and over which columns, as far as the engine says. */
export function uniqueViolationDetails(e: unknown): {
  constraint: string | null;
  table: string | null;
  fields: string[];
} {
  const err = rootCause(e) as {
    constraint_name?: string;
    table_name?: string;
    detail?: string;
    message?: string;
  } | null;
  if (err?.constraint_name || err?.detail) {
    const keys = /^Key \((.+?)\)=/.exec(err.detail ?? "")?.[1];
    return {
      constraint: err.constraint_name ?? null,
      table: err.table_name ?? null,
      fields: keys ? keys.split(",").map((k) => k.trim().replace(/^"|"$/g, "")) : [],
    };
  }
  // SQLite names the columns, not the index: "UNIQUE constraint failed: assets.company_id, assets.hostname".
  const cols = /UNIQUE constraint failed: (.+)$/.exec(String(err?.message ?? (e as Error)?.message ?? ""))?.[1];
  const qualified = cols ? cols.split(",").map((c) => c.trim()) : [];
  return {
    constraint: null,
    table: qualified[0]?.split(".")[0] ?? null,
    fields: qualified.map((c) => c.split(".").pop()!),
  };
}

/**
 * What the database itself said, for the log: drizzle's own message is "Failed query: …", and
 * the code, detail and constraint that explain it are on the driver's error underneath.
 */
export function databaseCause(e: unknown): Record<string, unknown> | null {
  const err = rootCause(e);
  if (err === e || !err || typeof err !== "object") return null;
  const out: Record<string, unknown> = { message: (err as Error).message };
  for (const key of ["code", "detail", "hint", "constraint_name", "table_name", "column_name", "severity"]) {
    const value = (err as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** How an error that is the database's answer, not a bug, is answered over HTTP. */
export interface DatabaseErrorAnswer {
  status: 400 | 409 | 503;
  code: string;
  message: string;
  details: unknown;
  headers: Record<string, string>;
}

/**
 * The answer to a database error that is not a bug: a unique violation is a 409 naming the
 * constraint and its fields, a value the column cannot hold a 400, an unreachable or
 * timed-out database a 503 with Retry-After. Null for anything else.
 */
export function databaseErrorAnswer(e: unknown): DatabaseErrorAnswer | null {
  if (isUniqueViolation(e)) {
    const { constraint, table, fields } = uniqueViolationDetails(e);
    const what = fields.length ? fields.join(", ") : (constraint ?? "unique key");
    return {
      status: 409,
      code: "conflict",
      message: `Another record already has the same ${what}${table ? ` (${table})` : ""}.`,
      details: { constraint, table, fields },
      headers: {},
    };
  }
  if (isDataException(e))
    return {
      status: 400,
      code: "invalid_value",
      message: "A value in the request does not fit its field (too large, or not valid text).",
      details: null,
      headers: {},
    };
  if (isDatabaseUnavailable(e))
    return {
      status: 503,
      code: "database_unavailable",
      message: "The database is not answering right now. Try again shortly.",
      details: null,
      headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  return null;
}
