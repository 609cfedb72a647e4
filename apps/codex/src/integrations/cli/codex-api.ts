/**
 * The sync command's view of Codex: its sync routes over HTTP on loopback, with a HiveMatrix JWT.
 * A token refused with 401 (expired during a long follow) is renewed once and the call repeated.
 */
export interface JobView {
  id: string;
  kind: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  counts: Record<string, number>;
  progress: {
    phase: string | null;
    pages: number;
    requests: number;
    items_written: number;
    waits: number;
    waited_seconds: number;
    waiting: { reason: string; until: string } | null;
  };
  error: string | null;
}

/** Starting a run: it started, one of its kind is already running, or (agents) it ran to the end. */
export type StartOutcome = { started: JobView } | { busy: string | null; message: string } | { finished: JobView };

export interface TokenSource {
  token(): Promise<string>;
  /** A fresh token after Codex refused the last one. */
  renew(): Promise<string>;
}

export class CodexUnavailable extends Error {
  override name = "CodexUnavailable";
}

export function codexApi(baseUrl: string, tokens: TokenSource) {
  const call = async (method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const send = async (token: string) => {
      try {
        return await fetch(`${baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: "application/json" },
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        throw new CodexUnavailable(
          `cannot reach Codex at ${baseUrl} (${(e as Error).message}); is HiveMatrix running?`,
        );
      }
    };
    let res = await send(await tokens.token());
    if (res.status === 401) res = await send(await tokens.renew());
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 400 && res.status !== 409) {
      const error = body.error as { message?: string } | undefined;
      throw new CodexUnavailable(`Codex answered ${res.status}: ${error?.message ?? "no details"}`);
    }
    return { status: res.status, body };
  };
  return {
    async start(path: string, waitsForResult: boolean): Promise<StartOutcome> {
      const { status, body } = await call("POST", path);
      if (status === 409) {
        const error = body.error as { message: string; details?: { job_id?: string | null } };
        return { busy: error.details?.job_id ?? null, message: error.message };
      }
      const job = body.job as JobView;
      return waitsForResult ? { finished: job } : { started: job };
    },
    async status(jobId: string): Promise<JobView> {
      return (await call("GET", `/sync/status/${encodeURIComponent(jobId)}`)).body as unknown as JobView;
    },
  };
}
export type CodexApi = ReturnType<typeof codexApi>;
