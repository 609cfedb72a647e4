/** Ready, up but waiting for its database, or not ready. */
export type Health = "ok" | "waiting for its database" | "not ready";

/**
 * What a unit's /health says: ready; up but waiting for its database (lib/db-health's 503 with
 * `database.status` starting or unavailable); or not ready (no answer, or any other answer).
 * For one of several processes sharing a port (`worker`), the answer counts only when that
 * process gave it (`worker` in the body): each probe is a new connection, which the kernel hands
 * to one of the processes at random, so the process asked about answers within a few probes.
 */
export async function probe(url: string, worker?: number): Promise<Health> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000), keepalive: worker === undefined });
    if (res.ok && worker === undefined) {
      await res.body?.cancel();
      return "ok";
    }
    if (res.ok) {
      const body = (await res.json().catch(() => null)) as { worker?: unknown } | null;
      return body?.worker === worker ? "ok" : "not ready";
    }
    if (res.status !== 503) {
      await res.body?.cancel();
      return "not ready";
    }
    const body = (await res.json().catch(() => null)) as { database?: { status?: string } } | null;
    const db = body?.database?.status;
    return db === "starting" || db === "unavailable" ? "waiting for its database" : "not ready";
  } catch {
    return "not ready";
  }
}

/**
 * A JSON record at ERROR or worse, or a plain line that names an error ("error: …" from Bun for an
 * uncaught one, "configuration error: …", "TypeError: …", "cannot start: …"), not a stack frame or source line.
 */
export function errorText(line: string): string | null {
  if (line.startsWith("{")) {
    try {
      const { level, message, error } = JSON.parse(line) as { level?: string; message?: string; error?: unknown };
      if (level !== "ERROR" && level !== "CRITICAL") return null;
      const cause = error && typeof error === "object" && "message" in error ? String(error.message) : null;
      return cause && cause !== message ? `${message}: ${cause}` : String(message);
    } catch {
      return null;
    }
  }
  return /^(([A-Za-z][\w ]*)?error( \[\w+\])?|cannot start[\w ]*): /i.test(line) ? line.slice(0, 500) : null;
}
