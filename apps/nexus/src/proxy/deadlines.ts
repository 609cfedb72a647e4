class UpstreamTimeout extends Error {}

/** One request's wait for an app's response headers. */
class Deadline {
  readonly controller = new AbortController();
  constructor(
    public at: number,
    private readonly timeoutMs: number,
    private readonly running: Set<Deadline>,
  ) {}

  /** Starts the wait now: the request's body has been sent (an upload's time is the sender's, not the app's). */
  arm(): void {
    this.at = Date.now() + this.timeoutMs;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the app took too long (rather than failing by itself). */
  expired(): boolean {
    return this.controller.signal.aborted && this.controller.signal.reason instanceof UpstreamTimeout;
  }

  /** The headers arrived (or the request failed): the body may take as long as it takes. */
  end(): void {
    this.running.delete(this);
  }
}

/**
 * Upstream timeouts without a timer per request: every request in flight is in one set, and a
 * single interval (running only while the set is not empty) aborts those past their deadline.
 * A deadline is met up to a tenth of the timeout late, which is nothing next to the timeout itself.
 */
export function createDeadlines(timeoutMs: number) {
  const running = new Set<Deadline>();
  const tickMs = Math.max(10, Math.min(1_000, Math.floor(timeoutMs / 10)));
  let timer: ReturnType<typeof setInterval> | null = null;

  const sweep = () => {
    const now = Date.now();
    for (const deadline of running) {
      if (deadline.at > now) continue;
      running.delete(deadline);
      deadline.controller.abort(new UpstreamTimeout());
    }
    if (running.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  return {
    /** A wait that starts now, or (`whenArmed`) once `arm()` says the request's body has been sent. */
    start(whenArmed = false): Deadline {
      const deadline = new Deadline(whenArmed ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs, timeoutMs, running);
      running.add(deadline);
      if (!timer) {
        timer = setInterval(sweep, tickMs);
        timer.unref();
      }
      return deadline;
    },
  };
}
