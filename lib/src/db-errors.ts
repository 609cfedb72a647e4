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

/** True when `e` is a unique-constraint violation on either engine. */
export function isUniqueViolation(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    if (!err || typeof err !== "object") continue;
    const code = (err as { code?: unknown }).code;
    if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (String((err as Error).message).includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

/** True when `e` is a foreign-key violation on either engine. */
export function isForeignKeyViolation(e: unknown): boolean {
  for (const err of [e, rootCause(e)]) {
    if (!err || typeof err !== "object") continue;
    const code = (err as { code?: unknown }).code;
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
    const code = err && typeof err === "object" ? (err as { code?: unknown }).code : undefined;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}
