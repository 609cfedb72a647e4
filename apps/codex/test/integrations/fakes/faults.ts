/**
 * Fault injection shared by the fake providers: queue answers for requests whose path matches,
 * e.g. two 429s with Retry-After, or a 500 forever, and keep a log of what was asked.
 */
export interface Fault {
  /** Matched against the request path (and query). */
  match: RegExp;
  /** The answer's status; without one the request is answered normally, after `delayMs`. */
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests get this answer (Infinity: all of them). */
  times: number;
}

export class FaultBook {
  private faults: Fault[] = [];
  readonly log: { method: string; path: string; at: number }[] = [];

  add(fault: Omit<Fault, "times"> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  clear(): void {
    this.faults = [];
    this.log.length = 0;
  }

  /** Records the request; returns the fault response to send, if one applies (after any delay). */
  async take(req: Request): Promise<Response | null> {
    const url = new URL(req.url);
    const path = url.pathname + url.search;
    this.log.push({ method: req.method, path: decodeURIComponent(path), at: Date.now() });
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(decodeURIComponent(path)));
    if (!fault) return null;
    fault.times--;
    if (fault.delayMs) await Bun.sleep(fault.delayMs);
    if (fault.status === undefined) return null;
    return Response.json(fault.body ?? { message: `injected ${fault.status}` }, {
      status: fault.status,
      headers: fault.headers,
    });
  }

  count(match: RegExp): number {
    return this.log.filter((l) => match.test(l.path)).length;
  }
}
